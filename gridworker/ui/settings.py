"""Typed settings, declared once, over QSettings in INI format (beside the data, redirectable in tests)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings

T = TypeVar("T", int, str, bool)


@dataclass(frozen=True)
class Option(Generic[T]):
    key: str
    default: T


TEXT_SIZES = (11, 13, 15, 18, 22)  # point sizes offered, from small to extra large
TEXT_SIZE = Option("ui/text_size", 13)
LANGUAGE = Option("ui/language", "zh_CN")
LAST_USER = Option("session/last_user", "")
SERVER_URL = Option("sync/server_url", "")  # the last server signed in to (or given by --server)
LOCK_MINUTES = Option("security/lock_minutes", 5)  # idle minutes before the app locks (1 to 60; never "never")
LOCK_RANGE = (1, 60)
LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))


class Settings:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._q = QSettings(str(path), QSettings.Format.IniFormat)

    def get(self, option: Option[T]) -> T:
        value: object = self._q.value(option.key, option.default)
        default = option.default
        result: object
        if isinstance(default, bool):
            result = value in (True, "true", "1", 1)
        elif isinstance(default, int):
            try:
                result = int(str(value))
            except ValueError:
                result = default
        else:
            result = str(value)
        return result  # type: ignore[return-value,unused-ignore]

    def set(self, option: Option[T], value: T) -> None:
        self._q.setValue(option.key, value)
        self._q.sync()
