"""Making a file's name durable: after a rename or an unlink, the folder itself is fsynced (POSIX;
Windows makes a rename durable with the file's own flush). Used by the key file's atomic write, the
conversion's swap and the wipe."""

from __future__ import annotations

import os
from pathlib import Path


def fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    if os.name == "posix" and folder.is_dir():
        fsync_path(folder)
