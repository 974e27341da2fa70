"""The sender's own details: saved once in the workspace, overridable per command.

The CLI (`outreach profile`) and the web app's Settings page read and write the same
`profile.json`, so a name set in one signs the drafts of the other.
"""

from __future__ import annotations

import json

from core.config import Settings
from core.errors import ConfigError
from core.models import Sender

PROFILE_FILE = "profile.json"
#: Written the first time the CLI tells a user without a name how to set one.
NAME_HINT_MARKER = ".name-hint-shown"
NAME_HINT = (
    'tip: drafts sign with your first name once you set it: outreach profile --name "Your Name" '
    "(also --role, --company, --about)"
)
PROFILE_FIELDS = ("name", "role", "company", "about")


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


def update_profile(changes: dict[str, str | None], settings: Settings | None = None) -> Sender:
    """Set the given fields (None: leave as is; "": clear) and keep the rest."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ConfigError(f"unknown profile field(s): {', '.join(sorted(unknown))}")
    current = load_profile(settings).model_dump()
    current.update({k: v for k, v in changes.items() if v is not None})
    updated = Sender(**current)
    save_profile(updated, settings)
    return updated


def load_sender(name: str = "", role: str = "", company: str = "", about: str = "") -> Sender:
    """The saved profile with any given values on top."""
    saved = load_profile()
    return Sender(
        name=name or saved.name,
        role=role or saved.role,
        company=company or saved.company,
        about=about or saved.about,
    )


def name_hint_due(sender: Sender, settings: Settings | None = None) -> bool:
    """True the first time a workspace drafts without a name: the hint is said once, then
    remembered, so it never nags."""
    if sender.name:
        return False
    settings = settings or Settings.from_env()
    marker = settings.home / NAME_HINT_MARKER
    if marker.exists():
        return False
    try:
        settings.home.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass  # a read-only workspace: the hint shows again next time, which is harmless
    return True
