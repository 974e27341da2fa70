"""The project's exceptions. Every message says what to do next, and none carries a secret."""

from __future__ import annotations


class OutreachError(Exception):
    """Base class: the CLI prints it as one line and exits non-zero; the web app shows it."""

    exit_code = 1


class ConfigError(OutreachError):
    """A setting is missing or malformed (environment variable, workspace path)."""

    exit_code = 2


class InputError(OutreachError):
    """User input cannot be used: a contact, a CSV or JSONL file, a text to check."""

    exit_code = 2


class PromptError(OutreachError):
    """A prompt template file is invalid or needs a variable that was not given."""


class IndexUnavailableError(OutreachError):
    """The retrieval index cannot be opened, built or queried."""


class IndexBusyError(IndexUnavailableError):
    """Another process holds the workspace's write lock for longer than we will wait."""


class BackendError(OutreachError):
    """The LLM endpoint failed after retries, or answered with something unusable."""

    def __init__(self, message: str, *, attempts: int = 1, status_code: int | None = None):
        super().__init__(message)
        self.attempts = attempts
        self.status_code = status_code


class FatalBackendError(BackendError):
    """A failure no retry can fix (bad key, forbidden, bad request, exhausted quota).

    A batch stops on it, keeping every row already finished.
    """
