"""Setting a PIN (its rules in words), unlocking at start-up (gridworker.ui.unlock), the wrong PINs'
delay across restarts (gridworker.ui.pin_gate), and the demo's database that opens without typing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from keyring.backend import KeyringBackend
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gridworker.demo import DEMO_PIN
from gridworker.store.keys import KeyFile, WrongPinError, check_pin, key_path
from gridworker.ui import unlock
from gridworker.ui.pin_dialogs import SetPinDialog, UnlockDialog, pin_rule_text
from gridworker.ui.pin_gate import FIRST_DELAY, MAX_DELAY, MAX_TRIES, PinGate, TooEarlyError
from tests.helpers.gui import type_text
from tests.helpers.lock_keys import FAST_KDF, PIN, SECRET, Clock, make_key_file


def cipher_or_none() -> Any:
    try:
        from gridworker.store import cipher  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    return cipher


def test_set_pin_says_what_is_wrong_and_sets_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    applied: list[str] = []
    dialog = SetPinDialog(applied.append)
    qtbot.addWidget(dialog)
    dialog.show()
    for pin, repeat, code in (("12345", "12345", "pin_length"), ("111111", "111111", "pin_too_simple")):
        dialog.pin.setText(pin)
        dialog.repeat.setText(repeat)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert check_pin(pin) == code and dialog.error.text() == pin_rule_text(code)
        assert dialog.error.isVisible() and dialog.focusWidget() is dialog.pin
    dialog.pin.setText("135790")
    dialog.repeat.setText("135709")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.error.text() and dialog.focusWidget() is dialog.repeat
    assert applied == [] and not key_path(tmp_path / "w.db").exists()


def test_set_pin_writes_the_key_file_off_the_gui_thread(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    dialog = SetPinDialog(lambda pin: KeyFile.create(key_path(db), pin, kdf=FAST_KDF)[1])
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.pin, PIN)
    type_text(qtbot, dialog.repeat, PIN)
    with qtbot.waitSignal(dialog.accepted, timeout=10000):
        qtbot.keyClick(dialog.repeat, Qt.Key.Key_Return)
        assert dialog.busy and not dialog.pin.isEnabled()  # the busy state while Argon2 runs
    assert KeyFile.load(key_path(db)).unlock(PIN) == dialog.result_value


def test_wrong_pins_are_kept_across_restarts_and_the_delay_doubles(tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    make_key_file(db)
    wall = Clock()
    for _ in range(MAX_TRIES):
        with pytest.raises(WrongPinError):
            PinGate(db, clock=wall).try_pin("999000")  # a new gate each time: as after a restart
    gate = PinGate(db, clock=wall)
    assert gate.locked_out and gate.delay_left() == FIRST_DELAY
    with pytest.raises(TooEarlyError):
        gate.try_pin(PIN)  # even the right PIN waits
    wall.now += FIRST_DELAY
    with pytest.raises(WrongPinError):
        gate.try_pin("999000")
    assert PinGate(db, clock=wall).delay_left() == 2 * FIRST_DELAY
    wall.now -= 3600  # a clock set back does not shorten the wait
    assert gate.delay_left() == 2 * FIRST_DELAY
    wall.now += 3600 + 2 * FIRST_DELAY
    for _ in range(12):
        wall.now += MAX_DELAY
        with pytest.raises(WrongPinError):
            gate.try_pin("999000")
    assert gate.delay_left() == MAX_DELAY
    wall.now += MAX_DELAY
    assert gate.try_pin(PIN) and PinGate(db).failures == 0
    # the password's way: the server's secret opens the data key, a new PIN wraps it
    key = gate.recover(SECRET, "864200")
    assert KeyFile.load(key_path(db)).unlock("864200") == key


def answer_when_shown(qtbot: QtBot, kind: type[QWidget], fill: Callable[[Any], None]) -> None:
    """Fill the modal dialog the code under test is about to exec() (its nested loop runs the timer)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            fill(dialog)
        else:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)


def test_a_plain_database_gets_a_pin_at_start(qtbot: QtBot, tmp_path: Path) -> None:
    """An older version's database (plain, no key file): the PIN set, the key file written, the database
    encrypted where this build can (gridworker.store.convert)."""
    db = tmp_path / "workers" / "w.db"
    db.parent.mkdir()
    with sqlite3.connect(db) as con:
        con.execute("create table t (x)")
        con.execute("insert into t values ('王秀英')")
    con.close()

    def fill(dialog: SetPinDialog) -> None:
        dialog.pin.setText(PIN)
        dialog.repeat.setText(PIN)
        dialog.submit()

    answer_when_shown(qtbot, SetPinDialog, fill)
    sent: list[bytes] = []
    assert unlock.unlock_database(db, send_secret=lambda s: sent.append(s) is None)
    keyfile = KeyFile.load(key_path(db))
    key = keyfile.unlock(PIN)
    assert keyfile.unlock_with_recovery(sent[0]) == key and not keyfile.recovery_pending
    cipher = cipher_or_none()
    if cipher is not None:
        assert cipher.is_encrypted(db) and b"\xe7\x8e\x8b" not in db.read_bytes()


def test_the_pin_unlocks_at_start_and_cancel_opens_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    db = tmp_path / "w.db"
    make_key_file(db)

    answer_when_shown(qtbot, UnlockDialog, lambda d: d.reject())
    assert not unlock.unlock_database(db)

    def fill(dialog: UnlockDialog) -> None:
        dialog.panel.pin.setText(PIN)
        dialog.panel.submit()

    answer_when_shown(qtbot, UnlockDialog, fill)
    assert unlock.unlock_database(db)
    cipher = cipher_or_none()
    if cipher is not None:
        assert cipher.key_for(db) == KeyFile.load(key_path(db)).unlock(PIN)


def test_the_demo_database_opens_with_the_demo_pin(tmp_path: Path) -> None:
    db = tmp_path / "workers" / "demo.db"
    assert check_pin(DEMO_PIN) is None
    unlock.demo_unlock(db, DEMO_PIN)
    key = KeyFile.load(key_path(db)).unlock(DEMO_PIN)
    unlock.demo_unlock(db, DEMO_PIN)  # the next start: the same key, nothing asked
    assert KeyFile.load(key_path(db)).unlock(DEMO_PIN) == key


class MemoryKeyring(KeyringBackend):
    """A keyring in memory (the OS's is not there on a test machine)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.values.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.values[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.values.pop((service, username), None)


def test_the_keyring_remembers_the_key_for_this_boot_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import keyring

    from gridworker.ui import pin_gate

    boot = tmp_path / "boot_id"
    boot.write_text("boot-1\n", encoding="ascii")
    monkeypatch.setattr(pin_gate, "BOOT_ID", boot)
    memory = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(memory)
    try:
        db = tmp_path / "w.db"
        key = bytes(range(32))
        assert pin_gate.remember_session_key(db, key, "salt-1")
        assert pin_gate.session_key(db, "salt-1") == key
        assert pin_gate.session_key(db, "salt-2") is None  # another key file (a new PIN): asked again
        assert memory.values == {}  # and dropped
        pin_gate.remember_session_key(db, key, "salt-1")
        boot.write_text("boot-2\n", encoding="ascii")  # the laptop restarted
        assert pin_gate.session_key(db, "salt-1") is None and memory.values == {}
        pin_gate.remember_session_key(db, key, "salt-1")
        pin_gate.forget_session_key(db)  # sign-out
        assert pin_gate.session_key(db, "salt-1") is None
        # five wrong PINs forget it too
        make_key_file(db)
        pin_gate.remember_session_key(db, key, "salt-1")
        gate = PinGate(db, clock=Clock())
        for _ in range(MAX_TRIES):
            with pytest.raises(WrongPinError):
                gate.try_pin("999000")
        assert memory.values == {}
    finally:
        keyring.set_keyring(previous)
