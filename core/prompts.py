"""Prompt templates: YAML data files, validated when loaded, rendered in a Jinja sandbox.

A template's id is stable (written in the file); its version is derived from the file's
content, so every draft records exactly which text produced it.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.errors import PromptError
from core.kinds import Kind
from core.resources import data_dir

#: Every variable a template may use; render() must be given all of them.
VARIABLES = ("contact", "sender", "guidance", "note_snippets", "kind")

_env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)


@lru_cache(maxsize=64)
def _compiled(source: str) -> Template:
    """Compile each template text once; rendering is per draft, compiling need not be."""
    return _env.from_string(source)


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_\-]+$")
    kind: Kind
    description: str
    system: str = Field(min_length=20)
    user: str = Field(min_length=20)
    #: Appended as a further user turn when a draft failed checks and is revised once.
    revise: str = Field(min_length=20)
    version: str = ""

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """The chat messages for a first draft."""
        return [
            {"role": "system", "content": self._render("system", self.system, variables)},
            {"role": "user", "content": self._render("user", self.user, variables)},
        ]

    def render_revision(self, reasons: list[str], previous: str, **variables: Any) -> str:
        return self._render(
            "revise", self.revise, {**variables, "reasons": reasons, "previous": previous}
        )

    def _render(self, part: str, source: str, variables: dict[str, Any]) -> str:
        missing = [v for v in VARIABLES if v not in variables]
        if missing:
            raise PromptError(f"prompt {self.id!r} needs the variable(s) {', '.join(missing)}")
        try:
            return _compiled(source).render(**variables).strip()
        except UndefinedError as exc:
            raise PromptError(
                f"prompt {self.id!r} ({part}) uses an undefined value: {exc}"
            ) from None
        except TemplateError as exc:
            raise PromptError(f"prompt {self.id!r} ({part}) failed to render: {exc}") from None


def load_prompt_file(path: Path) -> PromptTemplate:
    try:
        raw = path.read_bytes()
        data = yaml.safe_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PromptError(f"cannot read prompt file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise PromptError(f"prompt file {path} must be a YAML mapping")
    version = hashlib.sha256(raw).hexdigest()[:12]
    try:
        template = PromptTemplate(**data, version=version)
    except ValidationError as exc:
        fields = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise PromptError(f"prompt file {path} is invalid: {fields}") from None
    # Parse every part now, so a syntax error shows at load time, not mid-batch.
    for part in ("system", "user", "revise"):
        try:
            _env.parse(getattr(template, part))
        except TemplateError as exc:
            raise PromptError(f"prompt file {path} ({part}) has a template error: {exc}") from None
    return template


def prompt_files(directory: Path | None = None) -> list[Path]:
    return sorted((directory or data_dir("prompts")).glob("*.yaml"))


@lru_cache(maxsize=8)
def load_prompts(directory: Path | None = None) -> dict[Kind, PromptTemplate]:
    templates: dict[Kind, PromptTemplate] = {}
    for path in prompt_files(directory):
        template = load_prompt_file(path)
        if template.kind in templates:
            raise PromptError(f"two prompt files are for kind {template.kind.value!r}: keep one")
        templates[template.kind] = template
    missing = [k.value for k in Kind if k not in templates]
    if missing:
        raise PromptError(f"no prompt file for kind(s) {', '.join(missing)} in {directory}")
    return templates


def get_prompt(kind: Kind) -> PromptTemplate:
    return load_prompts()[kind]
