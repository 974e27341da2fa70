"""Replies for the fault server: a believable draft built from the prompt's contact facts.

`grounded_reply` answers the way a well-behaved model would, using only the
`<contact_facts>` block of the prompt, so most drafts pass the checks. Used by tests and by
`python -m core.fault_server --reply grounded` for benchmarks. `revise_reply` slips a pitch
into every first draft and writes the grounded one when asked to revise, so every row
costs two requests and two rounds of checks (`--reply revise`).
"""

from __future__ import annotations

import re
from typing import Any

_FACTS = re.compile(r"<contact_facts>(.*?)</contact_facts>", re.DOTALL)
_SENDER = re.compile(r"^\s*Sender: ([^\n,.(]+)", re.MULTILINE)
_KIND = re.compile(r"Write the (compliment|introduction|follow-up)", re.IGNORECASE)


def user_texts(request: dict[str, Any]) -> list[str]:
    """Every user message's text, in order."""
    texts = []
    for message in request.get("messages") or []:
        if isinstance(message, dict) and message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, str):
                texts.append(content)
    return texts


def contact_facts(request: dict[str, Any]) -> dict[str, str]:
    """The `field: value` lines of the request's <contact_facts> block."""
    for text in user_texts(request):
        match = _FACTS.search(text)
        if not match:
            continue
        facts: dict[str, str] = {}
        for line in match.group(1).splitlines():
            key, sep, value = line.partition(":")
            if sep and key.strip().isidentifier():
                facts[key.strip()] = value.strip()
        return facts
    return {}


def contact_name(request: dict[str, Any]) -> str:
    return contact_facts(request).get("name", "")


def request_kind(request: dict[str, Any]) -> str:
    for text in user_texts(request):
        match = _KIND.search(text)
        if match:
            word = match.group(1).lower()
            return {"introduction": "intro", "follow-up": "follow_up"}.get(word, word)
    return "compliment"


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].lower()}{text[1:]}." if text else ""


def grounded_reply(request: dict[str, Any]) -> str:
    """A realistic, grounded draft built only from the prompt's contact facts."""
    facts = contact_facts(request)
    name = facts.get("name", "there")
    first = name.split()[0] if name.split() else name
    work = facts.get("their_work") or facts.get("notes", "")
    notes = facts.get("notes", "")
    kind = request_kind(request)
    if kind == "intro":
        body = (
            f"I have admired your work for a while: {_sentence(work)} "
            f"{notes} It shaped how I approach my own projects, and I wanted to say so. "
            "Best case, we end up building something great together; worst case, you have "
            "a new friend in the field. If a short call some time suits you, I would enjoy it."
        )
    elif kind == "follow_up":
        event = facts.get("event", "the event")
        met = facts.get("how_we_met", "")
        body = (
            f"It was a real pleasure meeting you at {event}. {met} {notes} "
            "Thank you for the conversation; it stayed with me on the way home, "
            "and I hope our paths cross again soon."
        )
    else:
        body = (
            f"I wanted to send a short note of thanks for your work: {_sentence(work)} "
            f"{notes} It changed how I think about my own work, and I wanted you to know "
            "that it mattered to me. Thank you for putting it out into the world."
        )
    body = re.sub(r"\s+", " ", body).strip()
    # Signed like the prompt asks: the sender's first name, or no sign-off without one.
    sender = next((m.group(1).split() for t in user_texts(request) if (m := _SENDER.search(t))), [])
    signoff = f"\n\nWarmly,\n{sender[0]}" if sender else ""
    return f"Hi {first},\n\n{body}{signoff}"


#: A disguised pitch the checks catch, so the client asks for a revision.
PITCH_PS = "P.S. {name}, I'd love to give you a quick demo of our product; the free trial is open this week."
# The grounded reply's fixed sentences, made the contact's own (with their full name): a
# model does not write the same sentences to every contact, so a check cannot reuse
# another row's result.
_STOCK = (
    ("Best case, we", "Best case, {name}, we"),
    ("If a short call some time suits you,", "If a short call some time suits you, {name},"),
    ("Thank you for the conversation;", "Thank you for the conversation, {name};"),
    ("and I wanted you to know", "and I wanted you to know, {name},"),
    ("and I wanted to say so.", "and I wanted to say so, {name}."),
)


def is_revision(request: dict[str, Any]) -> bool:
    """A revision turn carries the first draft back as an assistant message."""
    return any(
        isinstance(m, dict) and m.get("role") == "assistant" for m in request.get("messages") or []
    )


def revise_reply(request: dict[str, Any]) -> str:
    """Every first draft carries a pitch; asked to revise, the draft without it. Wording is
    personal to each contact, as a model's is."""
    draft = grounded_reply(request)
    name = contact_name(request) or "there"
    for stock, personal in _STOCK:
        draft = draft.replace(stock, personal.format(name=name))
    if is_revision(request):
        return draft
    head, sep, signoff = draft.rpartition("\n\n")
    return f"{head}\n\n{PITCH_PS.format(name=name)}{sep}{signoff}"
