"""The shipped resources (translations, the starter policy guide), in a source checkout and in a frozen
build alike: one function for the app and the server."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_path(*parts: str) -> Path:
    """A file under resources/, in a source checkout and in a PyInstaller build alike."""
    frozen = getattr(sys, "_MEIPASS", None)
    root = Path(frozen) if frozen else Path(__file__).resolve().parents[2]
    return root.joinpath("resources", *parts)
