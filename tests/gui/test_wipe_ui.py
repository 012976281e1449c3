"""Remote wipe as the user meets it (issue 14), against a real server process: a laptop reported lost
while its window is open closes the window, removes its data, says why in Chinese, then shows the sign-in
screen (another worker signs in to their own database); the start-up check wipes before any window and
says why. Screens are rendered to /tmp/shots/ for a person to look at."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from gridworker.app import GridworkerApp, ensure_signed_in, open_context, read_meta
from gridworker.paths import worker_db_path
from gridworker.store.keys import KeyFile, key_path
from gridworker.syncing import wipe
from gridworker.syncing.credentials import TokenStore
from gridworker.ui.i18n import Translations
from gridworker.ui.sign_in import SignInDialog
from gridworker.ui.sync import SyncController
from gridworker.ui.wipe_notice import check_at_start
from tests.helpers.data import TODAY
from tests.helpers.lock_keys import answer_set_pin
from tests.helpers.server import ServerProcess, run_cli

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/shots")
PASSWORD = "demo1234"
FAST_KDF = {"name": "argon2id", "time_cost": 1, "memory_cost": 1024, "parallelism": 1}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("wipe-server")
    url = f"sqlite:///{folder / 'server.db'}"
    run_cli(url, "seed-demo", "--today", TODAY.isoformat(), "--grids-per-community", "1")
    process = ServerProcess(url).start()
    yield process
    process.stop()


@pytest.fixture
def zh(qtbot: QtBot) -> Iterator[Translations]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    translations.install("zh_CN")
    yield translations
    translations.install("en")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def tokens(folder: Path) -> TokenStore:
    return TokenStore(folder, use_keyring=False)


def confirmed(server: ServerProcess, device_id: str) -> tuple[str, bool]:
    path = server.url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as c:
        wipe_mode, at = c.execute(
            "SELECT wipe, wipe_confirmed_at FROM device WHERE id = ?", (uuid.UUID(device_id).hex,)
        ).fetchone()
    return str(wipe_mode), at is not None


def answer_notice(qtbot: QtBot, shot: str) -> list[str]:
    """Read, render and close the wipe notice once it is up (it runs modally); the texts it showed."""
    seen: list[str] = []

    def poll() -> None:
        boxes = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.objectName() == "wipe_notice" and w.isVisible()
        ]
        if not boxes:
            QTimer.singleShot(20, poll)
            return
        box = boxes[0]
        seen.append(box.text())
        SHOTS.mkdir(parents=True, exist_ok=True)
        assert box.grab().save(str(SHOTS / shot))
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, poll)
    return seen


def answer_sign_in(qtbot: QtBot, username: str) -> list[SignInDialog]:
    seen: list[SignInDialog] = []

    def poll() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, poll)
            return
        dialog = shown[0]
        seen.append(dialog)
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, poll)
    return seen


def test_a_laptop_reported_lost_while_open_closes_wipes_says_why_and_asks_who_signs_in(
    qtbot: QtBot, zh: Translations, server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    assert ensure_signed_in(folder, server.base, "demo", PASSWORD, tokens)
    path = worker_db_path("demo", folder)
    KeyFile.create(key_path(path), "a good pin 7", kdf=FAST_KDF)
    device = read_meta(path)["device_id"]
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = open_context(folder, "demo", demo=False)
    sync = SyncController(ctx, tokens, debounce_ms=600_000)
    gw = GridworkerApp(app, ctx, zh, sync)
    first = gw.window
    try:
        with qtbot.waitSignal(sync.finished, timeout=90_000):
            gw.show()
            sync.start()
        qtbot.waitUntil(lambda: ctx.tasks.is_idle() and sync.is_idle(), timeout=60_000)
        run_cli(server.url, "revoke-device", device, "--wipe", "lost")

        notices = answer_notice(qtbot, "wipe_notice_lost.png")
        signed = answer_sign_in(qtbot, "worker02")
        pins = answer_set_pin()  # who signs in next sets the PIN of their own database before it opens
        with qtbot.waitSignal(sync.wipe_required, timeout=60_000) as required:
            sync.sync_now()
        assert required.args == ["lost"]
        assert not first.isVisible()  # the window goes at once
        qtbot.waitUntil(lambda: not shiboken6.isValid(first) or gw.window is not first, timeout=60_000)
        qtbot.waitUntil(lambda: gw.ctx.identity.username == "worker02", timeout=90_000)
        assert notices == [
            "这台电脑已被报告丢失，因此其中 demo 的数据已删除。"
            "已发送到服务器的内容都不会丢失：请在单位发给您的电脑上登录继续工作。"
        ]
        assert len(signed) == 1  # then the sign-in screen
        assert len(pins) == 1 and key_path(worker_db_path("worker02", folder)).exists()
        assert not path.exists() and not key_path(path).exists()
        assert tokens.get(server.base, "demo") is None
        assert [p for p in wipe.user_files(folder, "demo") if p.exists()] == []
        assert confirmed(server, device) == ("lost", True)
        assert wipe.notices(folder) == []  # told once
        assert gw.ctx.path == worker_db_path("worker02", folder) and gw.window.isVisible()
    finally:
        qtbot.waitUntil(lambda: gw.ctx.tasks.is_idle() and (gw.sync is None or gw.sync.is_idle()), timeout=60_000)
        gw.window.close()
        gw.shutdown()
        gw.close()


def test_the_start_up_check_wipes_before_any_window_and_says_why(
    qtbot: QtBot, zh: Translations, server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    assert ensure_signed_in(folder, server.base, "worker03", PASSWORD, tokens)
    path = worker_db_path("worker03", folder)
    device = read_meta(path)["device_id"]
    assert check_at_start(folder, server.base, "worker03") == ""  # an active laptop: nothing, no box
    assert path.exists()
    run_cli(server.url, "revoke-device", device, "--wipe", "handover")

    notices = answer_notice(qtbot, "wipe_notice_handover.png")
    assert check_at_start(folder, server.base, "worker03") == "handover"
    assert notices == [
        "这台电脑已移交他人。worker03 在这台电脑上记录的内容已全部发送到服务器，随后电脑上的数据已删除。"
    ]
    assert not path.exists() and tokens.get(server.base, "worker03") is None
    assert confirmed(server, device) == ("handover", True)
