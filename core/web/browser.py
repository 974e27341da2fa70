"""Two small browser-side helpers the built-in widgets lack, as inline custom components.

Components v2 run in the page itself (no iframe) and ship with Streamlit, so they work
offline; neither sends anything anywhere.

- `commit_while_typing`: a text area commits only on blur or Ctrl+Enter, so checks could
  not re-run while the user types. After a pause in typing, this presses Ctrl+Enter for
  the user: Streamlit's own commit path, so the box keeps focus, the caret and any letters
  typed while the page reruns.
- `scroll_here`: brings a freshly made result into view once (a new draft below the form).
- `rerun_after`: reruns the whole page after a pause, to follow work running elsewhere
  (a batch). A fragment with `run_every` did this first, but its switch to a full rerun
  when the work ended sometimes left the browser treating the new page as part of the
  fragment, and a button on it then did nothing.
"""

from __future__ import annotations

import hashlib

import streamlit as st

#: Long enough not to rerun on every letter, short enough to feel live (checks take < 1 s).
TYPING_PAUSE_MS = 700

_COMMIT_JS = """
export default function (component) {
  const { data } = component;
  const shared = (window.__outreachCommitWhileTyping ??= { pauses: {}, timers: new WeakMap() });
  shared.pauses[data.label] = data.pause_ms;
  if (shared.listening) return;
  shared.listening = true;
  document.addEventListener("input", (event) => {
    const box = event.target;
    if (!(box instanceof HTMLTextAreaElement)) return;
    const pause = shared.pauses[box.getAttribute("aria-label")];
    if (pause === undefined) return;
    clearTimeout(shared.timers.get(box));
    shared.timers.set(box, setTimeout(() => {
      if (!box.isConnected) return;
      box.dispatchEvent(new KeyboardEvent("keydown", {
        key: "Enter", code: "Enter", ctrlKey: true, bubbles: true, cancelable: true,
      }));
    }, pause));
  }, true);
}
"""

_SCROLL_JS = """
export default function (component) {
  const { data, parentElement } = component;
  const seen = (window.__outreachScrolled ??= new Set());
  if (!data.token || seen.has(data.token)) return;
  seen.add(data.token);
  const host = parentElement.host ?? parentElement;
  setTimeout(() => host.scrollIntoView({ behavior: "smooth", block: "start" }), 50);
}
"""

_RERUN_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  const timer = setTimeout(() => setTriggerValue("due", data.token), data.pause_ms);
  return () => clearTimeout(timer);  // the page moved on, or drew a newer timer
}
"""

_commit = st.components.v2.component("outreach_commit_while_typing", js=_COMMIT_JS)
_scroll = st.components.v2.component("outreach_scroll_here", js=_SCROLL_JS)
_rerun = st.components.v2.component("outreach_rerun_after", js=_RERUN_JS)


def commit_while_typing(label: str, *, pause_ms: int = TYPING_PAUSE_MS) -> None:
    """Make the text area labelled `label` commit its value after `pause_ms` without typing."""
    _commit(key=f"commit_while_typing_{_slug(label)}", data={"label": label, "pause_ms": pause_ms})


def scroll_here(token: str) -> None:
    """Scroll this point of the page into view, once per `token` (e.g. per new draft)."""
    _scroll(key="scroll_here", data={"token": token})


def rerun_after(seconds: float, token: str) -> None:
    """Rerun the whole page once, `seconds` after this run drew it. A new `token` each run
    starts a new timer; a run that does not call this leaves no timer behind."""
    _rerun(
        key="rerun_after",
        data={"pause_ms": int(seconds * 1000), "token": token},
        on_due_change=lambda: None,  # a trigger reruns the page only with a callback
    )


def _slug(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
