"""The first sign-in of a user a street office created in bulk: the dialog asks for the worker's own
password (POST /v1/auth/password, through a real server process) before the laptop syncs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, select

from gridworker.paths import worker_db_path
from gridworker.store.db import Database
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import SyncEngine
from gridworker.ui.i18n import Translations
from gridworker.ui.new_password import NewPasswordDialog
from gridworker.ui.sign_in import SignInDialog
from gridworker.ui.sync import FirstSignIn
from gridworker_server import models as sm
from tests.helpers.rosters import csv_bytes
from tests.helpers.server import ServerProcess, run_cli

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/street")


@pytest.fixture
def street(tmp_path: Path) -> Iterator[tuple[ServerProcess, str, str]]:
    """A server on an org tree and one worker imported from files (no demo): its URL and the password."""
    url = f"sqlite:///{tmp_path / 'server.db'}"
    run_cli(url, "migrate")
    orgs, users, out = tmp_path / "orgs.csv", tmp_path / "users.csv", tmp_path / "passwords.csv"
    orgs.write_bytes(
        csv_bytes(
            [
                ["层级", "代码", "名称", "上级代码"],
                ["区", "321302000000", "宿城区", ""],
                ["街道", "321302001000", "幸福街道", "321302000000"],
                ["社区", "321302001001", "古城社区", "321302001000"],
                ["网格", "32130200100101", "古城社区第1网格", "321302001001"],
            ],
            "utf-8-sig",
        )
    )
    users.write_bytes(
        csv_bytes(
            [
                ["用户名", "姓名", "角色", "单位代码", "网格"],
                ["wang", "王芳", "网格员", "32130200100101", "32130200100101"],
            ],
            "gb18030",
        )
    )
    run_cli(url, "import-orgs", str(orgs))
    run_cli(url, "import-users", str(users), "--passwords-out", str(out))
    password = out.read_text().splitlines()[1].split(",")[1]
    with ServerProcess(url) as server:
        yield server, url, password


@pytest.fixture
def zh(qtbot: QtBot) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    translations.install("zh_CN")
    yield
    translations.install("en")


def test_the_first_sign_in_sets_the_workers_own_password_then_syncs(
    qtbot: QtBot, zh: None, street: tuple[ServerProcess, str, str], tmp_path: Path
) -> None:
    server, url, initial = street
    folder = tmp_path / "data"
    tokens = TokenStore(folder, use_keyring=False)
    call = FirstSignIn(folder, tokens)
    dialog = SignInDialog(call)
    qtbot.addWidget(dialog)
    dialog.show()
    for field, text in ((dialog.server, server.base), (dialog.username, "wang"), (dialog.password, initial)):
        qtbot.keyClicks(field, text)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(getattr(dialog, "new_password_dialog", None), NewPasswordDialog), timeout=30_000)
    asked: NewPasswordDialog = dialog.new_password_dialog
    qtbot.waitUntil(asked.isVisible)
    assert asked.windowTitle() == "设置您自己的密码"

    qtbot.keyClicks(asked.new, "wang-own-2026")
    qtbot.keyClicks(asked.repeat, "wang-own-2027")
    qtbot.mouseClick(asked.save_button, Qt.MouseButton.LeftButton)
    assert asked.error.text() == "两次输入的密码不一致，请输入相同的密码。" and asked.isVisible()
    SHOTS.mkdir(exist_ok=True)
    asked.grab().save(str(SHOTS / "new_password_mismatch.png"))

    asked.repeat.clear()
    qtbot.keyClicks(asked.repeat, "wang-own-2026")
    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.mouseClick(asked.save_button, Qt.MouseButton.LeftButton)
    call.shutdown()

    engine = create_engine(url)
    try:
        with engine.connect() as c:
            assert c.scalar(select(sm.User.must_change_password).where(sm.User.username == "wang")) is False
    finally:
        engine.dispose()
    db = Database(worker_db_path("wang", folder))
    try:
        SyncEngine(db, tokens).sync()  # the server no longer refuses this laptop
    finally:
        db.close()
