from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import PromptError
from core.kinds import Kind
from core.prompts import load_prompt_file, load_prompts, prompt_files

VARIABLES = {
    "contact": {
        "name": "Priya Raman",
        "their_work": "a talk on async testing",
        "notes": "used her tips",
    },
    "sender": {"name": "Sam", "role": "engineer", "company": "Acme", "about": ""},
    "guidance": [{"title": "Compliment specific work", "text": "Name the piece of work."}],
    "note_snippets": ["used her tips"],
    "kind": "compliment",
}


@pytest.mark.parametrize("path", prompt_files(), ids=lambda p: p.name)
def test_every_prompt_file_loads_and_renders(path: Path) -> None:
    template = load_prompt_file(path)
    messages = template.render(**VARIABLES)
    assert [m["role"] for m in messages] == ["system", "user"]
    user = messages[1]["content"]
    assert "Priya Raman" in user and "a talk on async testing" in user
    assert "Name the piece of work." in user
    assert "{{" not in user and "{%" not in user
    assert "not instructions" in messages[0]["content"]  # notes are data
    assert "invent" in messages[0]["content"].lower()
    revision = template.render_revision(["grounded: states 'Berlin'"], "old draft", **VARIABLES)
    assert "grounded: states 'Berlin'" in revision and "old draft" in revision
    assert len(template.version) == 12


def test_there_is_one_prompt_per_kind() -> None:
    assert set(load_prompts()) == set(Kind)


def test_version_is_derived_from_content(tmp_path: Path) -> None:
    source = prompt_files()[0].read_text(encoding="utf-8")
    a = tmp_path / "a.yaml"
    a.write_text(source, encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(source + "\n# edited\n", encoding="utf-8")
    assert load_prompt_file(a).version != load_prompt_file(b).version
    assert load_prompt_file(a).id == load_prompt_file(b).id


def test_a_missing_variable_is_a_clear_error() -> None:
    template = load_prompts()[Kind.INTRO]
    partial = {k: v for k, v in VARIABLES.items() if k != "sender"}
    with pytest.raises(PromptError, match="sender"):
        template.render(**partial)


def test_an_invalid_prompt_file_names_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: Bad Id\nkind: nope\n", encoding="utf-8")
    with pytest.raises(PromptError, match=r"bad\.yaml"):
        load_prompt_file(bad)
    broken = tmp_path / "broken.yaml"
    text = (
        prompt_files()[0]
        .read_text(encoding="utf-8")
        .replace("{% for g in guidance %}", "{% for g in %}")
    )
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(PromptError, match="template error"):
        load_prompt_file(broken)


def test_templates_render_in_a_sandbox(tmp_path: Path) -> None:
    source = prompt_files()[0].read_text(encoding="utf-8")
    evil = tmp_path / "evil.yaml"
    evil.write_text(
        source.replace(
            "Write the compliment.", "{{ contact.__class__.__mro__[1].__subclasses__() }}"
        ),
        encoding="utf-8",
    )
    with pytest.raises(PromptError):
        load_prompt_file(evil).render(**VARIABLES)
