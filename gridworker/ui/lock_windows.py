"""Windows: the session locking (WM_WTSSESSIONCHANGE, once a window registered for it) and the laptop
suspending (WM_POWERBROADCAST) lock the app (gridworker.ui.lock). Loaded on Windows only."""

from __future__ import annotations

import ctypes
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractNativeEventFilter, QByteArray

log = logging.getLogger(__name__)

WM_WTSSESSIONCHANGE = 0x02B1
WTS_SESSION_LOCK = 0x7
WM_POWERBROADCAST = 0x0218
PBT_APMSUSPEND = 0x4
NOTIFY_FOR_THIS_SESSION = 0


class _Msg(ctypes.Structure):
    _fields_ = [
        ("hwnd", ctypes.c_void_p),
        ("message", ctypes.c_uint),
        ("wParam", ctypes.c_size_t),
        ("lParam", ctypes.c_ssize_t),
        ("time", ctypes.c_ulong),
        ("x", ctypes.c_long),
        ("y", ctypes.c_long),
    ]


class SessionFilter(QAbstractNativeEventFilter):
    def __init__(self, on_lock: Callable[[], None]) -> None:
        super().__init__()
        self.on_lock = on_lock
        self._registered: set[int] = set()

    def register(self, window_id: int) -> None:
        """Ask Windows for this window's session messages (lock, unlock)."""
        if window_id in self._registered:
            return
        try:
            ctypes.windll.wtsapi32.WTSRegisterSessionNotification(  # type: ignore[attr-defined,unused-ignore]
                ctypes.c_void_p(window_id), NOTIFY_FOR_THIS_SESSION
            )
            self._registered.add(window_id)
        except (AttributeError, OSError) as exc:
            log.info("no session notifications (%s)", type(exc).__name__)

    def nativeEventFilter(
        self,
        eventType: QByteArray | bytes | bytearray | memoryview,  # noqa: N803 - Qt's name
        message: Any,
    ) -> tuple[bool, int]:
        if (eventType.data() if isinstance(eventType, QByteArray) else bytes(eventType)) == b"windows_generic_MSG":
            msg = _Msg.from_address(int(message))
            if (msg.message == WM_WTSSESSIONCHANGE and msg.wParam == WTS_SESSION_LOCK) or (
                msg.message == WM_POWERBROADCAST and msg.wParam == PBT_APMSUSPEND
            ):
                self.on_lock()
        return False, 0
