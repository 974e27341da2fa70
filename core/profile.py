"""The sender's own details: saved once in the workspace, overridable per command."""

from __future__ import annotations

import json

from core.config import Settings
from core.errors import ConfigError
from core.models import Sender

PROFILE_FILE = "profile.json"


def load_profile(settings: Settings | None = None) -> Sender:
    settings = settings or Settings.from_env()
    path = settings.home / PROFILE_FILE
    if not path.is_file():
        return Sender()
    try:
        return Sender(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise ConfigError(f"{path} is not a valid profile ({exc}); fix or delete it") from None


def save_profile(sender: Sender, settings: Settings | None = None) -> None:
    settings = settings or Settings.from_env()
    settings.home.mkdir(parents=True, exist_ok=True)
    path = settings.home / PROFILE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(sender.model_dump(), indent=2), encoding="utf-8")
    tmp.replace(path)


def load_sender(name: str = "", role: str = "", company: str = "", about: str = "") -> Sender:
    """The saved profile with any given values on top."""
    saved = load_profile()
    return Sender(
        name=name or saved.name,
        role=role or saved.role,
        company=company or saved.company,
        about=about or saved.about,
    )
