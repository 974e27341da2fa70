"""The shipped guidance cards: well-formed, covering every principle, written in our own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from core.kinds import Kind

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_RE = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.DOTALL)
REQUIRED_KEYS = {"id", "title", "kinds", "source", "source_file"}

# Principle from PRODUCT.md -> phrases of which at least one must appear in some card.
PRINCIPLES: dict[str, tuple[str, ...]] = {
    "collector of people": ("collector",),
    "best case / worst case": ("best case, worst case",),
    "book clubs": ("book club",),
    "conferences": ("conference",),
    "meetups": ("meetup",),
    "be the connector": ("connector",),
    "compliment specific work": ("specific post", "particular post", "specific"),
    "short first meeting <= 30 min": ("30 minutes", "20 to 30 minute"),
    "ask for nothing": ("ask for nothing", "asks for nothing"),
    "their perspective": ("perspective",),
    "everyone is worth knowing": ("everyone is worth knowing",),
    "do not judge by title": ("title",),
    "asking is hard": ("reach out",),
    "weak ties": ("weak ties", "friends of friends"),
    "one a week = 52 a year": ("52",),
    "professional love letters": ("professional love letter",),
    "build before you need it": ("before you need", "need something from them"),
    "go deep not wide": ("deep rather than wide",),
    "relationship glue": ("relationship glue",),
    "shared experiences": ("shared experience",),
    "go where they can help": ("wherever they can be useful",),
    "disguised right hook": ("disguised right hook",),
}


def _parse(path: Path) -> tuple[dict, str]:
    match = FRONT_MATTER_RE.match(path.read_text(encoding="utf-8"))
    assert match, f"{path.name}: missing YAML front matter"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path.name}: front matter is not a mapping"
    return meta, match.group(2).strip()


CARD_PATHS = sorted(CORPUS.glob("*.md"))
CARDS = {path.name: _parse(path) for path in CARD_PATHS}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


def test_at_least_24_cards() -> None:
    assert len(CARDS) >= 24


@pytest.mark.parametrize("name", sorted(CARDS))
def test_card_front_matter_is_valid(name: str) -> None:
    meta, body = CARDS[name]
    assert set(meta) >= REQUIRED_KEYS, f"{name}: missing {REQUIRED_KEYS - set(meta)}"
    assert ID_RE.match(meta["id"]), f"{name}: bad id {meta['id']!r}"
    assert name == f"{meta['id']}.md", "file name should match the id"
    assert meta["title"].strip() and meta["source"].strip()
    kinds = meta["kinds"]
    assert isinstance(kinds, list) and kinds, f"{name}: kinds must be a non-empty list"
    assert len(set(kinds)) == len(kinds)
    for kind in kinds:
        Kind(kind)  # raises ValueError on an unknown kind
    source_file = meta["source_file"]
    assert source_file == "project" or (SEEDS / source_file).is_file() or not SEEDS.is_dir()
    assert 60 <= len(body.split()) <= 180, f"{name}: body has {len(body.split())} words"


def test_ids_are_unique() -> None:
    ids = [meta["id"] for meta, _ in CARDS.values()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("kind", list(Kind))
def test_every_kind_has_at_least_8_cards(kind: Kind) -> None:
    count = sum(kind.value in meta["kinds"] for meta, _ in CARDS.values())
    assert count >= 8, f"only {count} cards for {kind.value}"


def test_every_seed_article_is_cited() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    cited = {meta["source_file"] for meta, _ in CARDS.values()}
    assert {p.name for p in SEEDS.glob("*.txt")} <= cited


def test_practical_cards_exist_for_each_kind() -> None:
    practical = [meta for meta, _ in CARDS.values() if meta["source_file"] == "project"]
    for kind in Kind:
        assert any(kind.value in meta["kinds"] for meta in practical), kind


@pytest.mark.parametrize("principle", sorted(PRINCIPLES))
def test_every_principle_is_covered(principle: str) -> None:
    # Whitespace is normalized because card bodies are hard-wrapped.
    texts = [" ".join(f"{meta['title']} {body}".lower().split()) for meta, body in CARDS.values()]
    phrases = PRINCIPLES[principle]
    assert any(phrase in text for text in texts for phrase in phrases), principle


def test_no_card_copies_12_words_from_a_seed() -> None:
    if not SEEDS.is_dir():
        pytest.skip("shared seeds not available")
    seed_text = " " + " ".join(
        " ".join(_words(p.read_text(encoding="utf-8"))) for p in sorted(SEEDS.iterdir())
    )
    seed_text += " "
    for name, (_, body) in CARDS.items():
        words = _words(body)
        for i in range(len(words) - 11):
            run = " ".join(words[i : i + 12])
            assert f" {run} " not in seed_text, f"{name} copies: {run!r}"
