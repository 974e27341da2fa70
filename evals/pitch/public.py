"""Real, public message corpora, read from a local folder (never committed).

The team's own files cannot tell us how the detector does on messages nobody here wrote.
These corpora can. Their licences let some be redistributed, but the data is not committed
(the project keeps what was fetched out of git): each is read from its place under
`OUTREACH_PUBLIC_DATA` (default `evals/datasets/public/local/`, git-ignored), laid out as
described in `evals/datasets/public/README.md`. A missing corpus is skipped, and says so.

Every corpus is held out whole: never trained or tuned on. Training on SMS, YouTube and
PersuasionForGood was tried and did not earn its place (see
evals/datasets/public/README.md).
Labels follow PRODUCT.md: a row is a pitch when it asks the reader to buy, try, call,
subscribe, donate, share or promote something for the sender. Where a corpus's own label
disagrees, `relabels.csv` says how and why (keyed by the sha256 of the text).
"""

from __future__ import annotations

import csv
import email
import email.policy
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from bs4 import BeautifulSoup

from evals.datasets.split import DATASETS

PUBLIC_META = DATASETS / "public"
RELABELS = PUBLIC_META / "relabels.csv"
#: Long mail is cut to its first words: the detector reads messages up to a few hundred
#: words, and a newsletter's 3,000th word says nothing about its ask.
MAX_WORDS = 300


def public_dir() -> Path:
    return Path(os.environ.get("OUTREACH_PUBLIC_DATA") or PUBLIC_META / "local")


Row = dict[str, str]


@dataclass(frozen=True)
class Corpus:
    name: str
    title: str
    licence: str
    origin: str
    #: Relative path under the public folder that must exist for the corpus to load.
    marker: str
    reader: Callable[[Path], Iterator[tuple[str, int]]]
    #: What kind of mail its negatives are, for the false-positive report.
    negatives: str


def text_sha256(text: str) -> str:
    """The key `relabels.csv` uses: sha256 of the text with whitespace collapsed."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()


def _read_sms(root: Path) -> Iterator[tuple[str, int]]:
    # One message per line: "ham\t..." or "spam\t...".
    for raw in (root / "sms" / "SMSSpamCollection").read_text("utf-8", "replace").splitlines():
        label, sep, text = raw.partition("\t")
        if sep and label in {"ham", "spam"} and text.strip():
            yield text.strip(), int(label == "spam")


def _read_youtube(root: Path) -> Iterator[tuple[str, int]]:
    # Five files of comments, columns COMMENT_ID,AUTHOR,DATE,CONTENT,CLASS (1 = spam).
    for path in sorted((root / "youtube").glob("*.csv")):
        with path.open(newline="", encoding="utf-8", errors="replace") as handle:
            for row in csv.DictReader(handle):
                content = row.get("CONTENT") or ""
                if "<" in content:  # some comments carry links and line breaks as HTML
                    content = BeautifulSoup(content, "html.parser").get_text(" ")
                text = " ".join(content.split())
                if text and (row.get("CLASS") or "").strip() in {"0", "1"}:
                    yield text.strip(), int(row["CLASS"].strip())


#: PersuasionForGood persuader acts that ask the reader to donate (to the cause the
#: sender speaks for): a pitch by PRODUCT.md's definition.
P4G_ASKS = {"propose-donation", "ask-donation-amount", "ask-donate-more", "foot-in-the-door"}
#: Acts that ask nothing: small talk, thanks, questions about the reader.
P4G_NEUTRAL = {
    "greeting",
    "acknowledgement",
    "thank",
    "task-related-inquiry",
    "have-you-heard-of-the-org",
    "praise-user",
    "personal-related-inquiry",
    "positive-to-inquiry",
    "neutral-to-inquiry",
    "negative-to-inquiry",
    "closing",
    "you-are-welcome",
    "comment-partner",
}


def _read_p4g(root: Path) -> Iterator[tuple[str, int]]:
    """Persuader turns of the 300 annotated dialogues. A turn with an ask act is a pitch;
    a turn of only neutral acts is not; turns of bare persuasion strategies (facts,
    appeals, stories) or donation logistics are left out as neither."""
    turns: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for name in ("train0.csv", "test0.csv"):  # fold 0's two halves: all 300 dialogues
        with (root / "persuasionforgood" / name).open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row.get("B4") == "0":
                    key = (row["B2"], row["Turn"])
                    turns.setdefault(key, []).append((row["Unit"].strip(), row["er_label_1"]))
    for key in sorted(turns):
        units = turns[key]
        acts = {act for _, act in units}
        text = " ".join(u for u, _ in units if u)
        if not text:
            continue
        if acts & P4G_ASKS:
            yield text, 1
        elif acts <= P4G_NEUTRAL:
            yield text, 0


def _mail_text(message: EmailMessage) -> str:
    parts: list[str] = []
    subject = str(message.get("subject") or "").strip()
    if subject:
        parts.append(f"Subject: {subject}")
    body = message.get_body(preferencelist=("plain", "html"))
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, ValueError):
            content = body.get_payload(decode=True) or b""
            content = content.decode("latin-1") if isinstance(content, bytes) else str(content)
        if body.get_content_type() == "text/html":
            content = BeautifulSoup(content, "html.parser").get_text("\n")
        parts.append(content)
    words = "\n".join(parts).split(" ")
    return re.sub(r"\n{3,}", "\n\n", " ".join(words[:MAX_WORDS])).strip()


def _read_csdmc(root: Path) -> Iterator[tuple[str, int]]:
    # SPAMTrain.label: "<label> TRAIN_nnnnn.eml", where 1 = ham and 0 = spam.
    base = root / "csdmc2010"
    for line in (base / "SPAMTrain.label").read_text("utf-8").splitlines():
        label, _, name = line.strip().partition(" ")
        path = base / "TRAINING" / name
        if label not in {"0", "1"} or not path.is_file():
            continue
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = _mail_text(message)
        if text:
            yield text, int(label == "0")


CORPORA: dict[str, Corpus] = {
    c.name: c
    for c in (
        Corpus(
            "sms",
            "UCI SMS Spam Collection (5,574 texts)",
            "CC BY 4.0",
            "https://archive.ics.uci.edu/dataset/228 (mirror hamzaaacodes/sms-spam-collection)",
            "sms/SMSSpamCollection",
            _read_sms,
            "personal text messages",
        ),
        Corpus(
            "youtube",
            "UCI YouTube Spam Collection (1,956 comments)",
            "CC BY 4.0",
            "https://archive.ics.uci.edu/dataset/380 (mirror tuliocasagrande/youtube-spam-experiment)",
            "youtube",
            _read_youtube,
            "public comments",
        ),
        Corpus(
            "persuasionforgood",
            "PersuasionForGood persuader turns (300 annotated dialogues)",
            "Apache-2.0",
            "ohyj1002/persuasionforgood (Wang et al., ACL 2019)",
            "persuasionforgood/train0.csv",
            _read_p4g,
            "small talk between strangers",
        ),
        Corpus(
            "csdmc2010",
            "CSDMC2010 spam corpus (4,327 emails)",
            "research use; copyright stays with the senders (not redistributable)",
            "thoughtfulml/examples-in-python naive_bayes/data (ICONIP 2010 data mining cup)",
            "csdmc2010/SPAMTrain.label",
            _read_csdmc,
            "mailing-list and personal email",
        ),
    )
}


#: Corpora whose errors were read to find causes, in one half only: rows whose text hash is
#: even. The other half was never read, so its row in `outreach eval` cannot flatter.
READ_HALF_ONLY = ("csdmc2010",)


def in_read_half(text: str) -> bool:
    return int(text_sha256(text), 16) % 2 == 0


def _relabels() -> dict[tuple[str, str], tuple[str, str]]:
    if not RELABELS.is_file():
        return {}
    with RELABELS.open(newline="", encoding="utf-8") as handle:
        return {
            (r["source"], r["sha256"]): (r["label"], r["reason"]) for r in csv.DictReader(handle)
        }


def available() -> list[Corpus]:
    root = public_dir()
    return [c for c in CORPORA.values() if (root / c.marker).exists()]


def missing() -> list[Corpus]:
    found = {c.name for c in available()}
    return [c for c in CORPORA.values() if c.name not in found]


def load_corpus(name: str, root: Path | None = None) -> list[Row]:
    """Rows as the team's files have them (`text,label,kind,category`), plus `source`.
    Relabels apply; a relabel to "drop" removes the row; exact duplicates are kept once."""
    corpus = CORPORA[name]
    root = root or public_dir()
    relabel = _relabels()
    rows: list[Row] = []
    seen: set[str] = set()
    for text, label in corpus.reader(root):
        digest = text_sha256(text)
        if digest in seen:
            continue
        seen.add(digest)
        new, reason = relabel.get((name, digest), (str(label), ""))
        if new == "drop":
            continue
        rows.append(
            {
                "text": text,
                "label": new,
                "kind": "",
                "category": f"public:{name}",
                "rationale": reason,
                "ask": "",
                "source": f"public:{name}",
            }
        )
    return rows
