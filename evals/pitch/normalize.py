"""Make real mail comparable: drop quoted replies and signatures, fix spaced punctuation.

Only the sender's new words are judged: a quoted reply is someone else's text, and a
signature block (name, title, company, URL) names the sender's company without asking.
"""

from __future__ import annotations

import re

_QUOTE_HEADER = re.compile(
    r"^\s*(?:On\b.{0,200}?\bwrote:|-{2,}\s*Original Message\s*-{2,}|From:\s.+|_{5,})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
# "On Mon, 3 Jun 2024 at 09:12, Amir <a@b.c> wrote:" is often wrapped over two lines.
_ON_WROTE_WRAPPED = re.compile(
    r"^\s*On\b[^\n]{0,200}\n[^\n]{0,200}\bwrote:\s*$", re.IGNORECASE | re.MULTILINE
)
_QUOTED_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_FORWARD_MARK = re.compile(
    r"^\s*-{2,}\s*(?:forwarded message|original message)\s*-{2,}\s*$", re.I | re.M
)
_HEADER_LINE = re.compile(r"^\s*(?:from|date|sent|to|cc|subject):.*$", re.IGNORECASE | re.MULTILINE)
_SIG_MARK = re.compile(
    r"^\s*(?:--\s*|—\s*|__+\s*|sent from my \w+.*|sent from (?:outlook|mail|yahoo|gmail).*|"
    r"get outlook for .*|sent via .*)$",
    re.IGNORECASE | re.MULTILINE,
)
_SIGN_OFF = re.compile(
    r"^\s*(?:best|best wishes|best regards|kind regards|regards|warm regards|warmly|cheers|thanks|"
    r"thank you|many thanks|all the best|talk soon|speak soon|yours|sincerely|take care|ciao|"
    r"x+|xo)\s*[,.!]?\s*$",
    re.IGNORECASE,
)
_URL = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|io|co|ai|app|dev|org|net|me|ly|so|xyz|page)(?:/\S*)?",
    re.IGNORECASE,
)
#: A mailing list's footer (the list's sponsor, its unsubscribe link) is the list's text,
#: not the sender's: cut at a long rule line when one of these follows it.
_RULE_LINE = re.compile(r"^\s*(?:-{10,}|_{10,}|={10,}|\*{10,})\s*$", re.MULTILINE)
_LIST_FOOTER = re.compile(
    r"\b(?:sponsored by|mailing list|listinfo|unsubscribe|list-(?:help|request))\b", re.IGNORECASE
)
#: Lines a hard wrap never continues into: a list item, a header, a quoted line.
_NOT_CONTINUED = re.compile(r"^\s*(?:[-*•>#]|\d+[.)]\s|subject:)", re.IGNORECASE)
_LINE_END = re.compile(r"[.!?:;…\"')\]]\s*$")
#: Mail clients wrap at 60-80 columns: a line this long that stops mid-sentence was wrapped.
_WRAP_WIDTH = 55
_SPACED_PUNCT = re.compile(r"[ \t]+([.,!?;:])(?=\s|$)")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])[\"')\]]*\s+|\n+|(?<=\S)\s+(?=(?:p\.?\s?s\.?|pps)\b[\s:,-])", re.IGNORECASE
)
_ABBREV = re.compile(
    r"(?:^|\s)(?:dr|mr|mrs|ms|prof|st|vs|e\.g|i\.e|etc|approx|no|p\.p?\.?s|p\.s)\.$", re.IGNORECASE
)
_WS = re.compile(r"[ \t\u00a0]+")

#: Longest text judged; beyond it a message is a pasted document, not a note.
MAX_CHARS = 6000


def _drop_signoff_block(lines: list[str]) -> list[str]:
    """Cut at a lone sign-off line ("Best,") when only a short name/title block follows."""
    for i in range(len(lines) - 1, -1, -1):
        if _SIGN_OFF.match(lines[i]):
            tail = [ln for ln in lines[i + 1 :] if ln.strip()]
            if len(tail) <= 6 and all(len(ln.split()) <= 10 for ln in tail):
                return lines[:i]
            break
    return lines


def _cut_list_footer(text: str) -> str:
    for match in _RULE_LINE.finditer(text):
        if match.start() > 0 and _LIST_FOOTER.search(text[match.end() : match.end() + 600]):
            return text[: match.start()]
    return text


def _unwrap(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines back into sentences. Mail wrapped at 72 columns otherwise
    splits into fragments ("Could", "IPFilter would"), and a fragment's modal verb reads
    as an ask. A line is a continuation when the one before stops mid-sentence and either
    it starts in lower case or the one before is as long as a wrapped line."""
    out: list[str] = []
    for line in lines:
        if out and line and out[-1] and not _NOT_CONTINUED.match(line):
            previous = out[-1]
            mid_sentence = not _LINE_END.search(previous) and not _NOT_CONTINUED.match(previous)
            # A greeting ("Hi Sam,") ends in a comma too: after one, only lower case continues.
            long_line = len(previous) >= _WRAP_WIDTH and not previous.endswith(",")
            if mid_sentence and (line[0].islower() or long_line):
                out[-1] = f"{previous} {line}"
                continue
        out.append(line)
    return out


def normalize(text: str) -> str:
    """The sender's own new text: no quoted reply, no signature, tidy punctuation."""
    text = (text or "")[: MAX_CHARS * 10].replace("\r\n", "\n").replace("\r", "\n")
    for pattern in (_ON_WROTE_WRAPPED, _QUOTE_HEADER):
        match = pattern.search(text)
        if match and match.start() > 0:
            if not re.search(r"\w", _FORWARD_MARK.sub("", text[: match.start()])):
                # Nothing of the sender's above a forwarded block: they wrote below it
                # (or sent it as it is), so judge the whole text without mail headers.
                text = _HEADER_LINE.sub("", _FORWARD_MARK.sub("", text))
                break
            text = text[: match.start()]
    text = _QUOTED_LINE.sub("", _FORWARD_MARK.sub("", _cut_list_footer(text)))
    match = _SIG_MARK.search(text)
    if match and match.start() > 0:
        text = text[: match.start()]
    lines = _drop_signoff_block(text.split("\n"))
    text = "\n".join(_unwrap([_WS.sub(" ", ln).strip() for ln in lines]))
    text = _SPACED_PUNCT.sub(r"\1", text)
    text = re.sub(r"\n{2,}", "\n", text).strip()
    if len(text) > MAX_CHARS:
        # Keep the opening and the end: a pitch often hides in the closing lines or a P.S.
        text = f"{text[: MAX_CHARS * 2 // 3]}\n{text[-MAX_CHARS // 3 :]}"
    return text


def has_link(sentence: str) -> bool:
    return bool(_URL.search(sentence))


def mask_links(sentence: str) -> str:
    """URLs become the word 'link': the embedder sees that a link is offered, not its noise."""
    return _URL.sub("link", sentence)


def split_sentences(text: str) -> list[str]:
    """Sentences of the normalised text; a P.S. always starts its own sentence."""
    out: list[str] = []
    for part in _SENTENCE_END.split(normalize(text)):
        part = (part or "").strip()
        if not part:
            continue
        if out and _ABBREV.search(out[-1]):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return [s for s in out if len(s) > 1 and re.search(r"\w", s)]
