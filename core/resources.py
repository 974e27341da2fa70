"""Where the shipped data directories live: inside the wheel, or beside the package in a checkout."""

from __future__ import annotations

from pathlib import Path

import core

_PACKAGE_DIR = Path(core.__file__).resolve().parent


def data_dir(name: str) -> Path:
    """`prompts` or `corpus`: the wheel's copy under core/_data, else the repo's top level."""
    packaged = _PACKAGE_DIR / "_data" / name
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / name
