"""A process that only runs the checks: `python -m core.check_server`, driven by CheckPool.

It reads requests from stdin and writes reports to stdout, each a length-prefixed pickle
of `(request id, payload)`, one request at a time. The pipes connect two halves of this
program (see core.check_pool), never anything outside it. It exits when stdin closes, so
it never outlives the drafting process, even one killed with SIGKILL.
"""

from __future__ import annotations

import pickle
import signal
import struct
import sys
from typing import IO, Any

_HEADER = struct.Struct("!I")


def read_message(stream: IO[bytes]) -> Any | None:
    """One length-prefixed pickle, or None at end of stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    body = stream.read(size)
    if len(body) < size:
        return None
    return pickle.loads(body)  # our own process is at the other end of the pipe


def write_message(stream: IO[bytes], message: Any) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    import core.embeddings
    from evals.checks import run_checks

    # One check at a time, beside a busy drafting process: one core for the model.
    core.embeddings.DEFAULT_THREADS = 1
    while (message := read_message(requests)) is not None:
        request_id, (text, contact, kind, sender) = message
        try:
            reply: tuple[str, Any] = ("ok", run_checks(text, contact, kind, sender))
        except Exception as exc:  # the caller raises it where the check was asked for
            reply = ("error", f"{type(exc).__name__}: {exc}")
        write_message(replies, (request_id, reply))


def main() -> None:
    # Ctrl-C is the drafting process's to handle: it finishes the rows in flight first.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve(sys.stdin.buffer, sys.stdout.buffer)


if __name__ == "__main__":
    main()
