"""The sync UI against a real server process: the sign-in screen typed into with real keys, the first sync
filling Today, the status bar, a revoked device (401) that keeps every local row, signing out with unsent
changes, a rejected change with its reason, and an offline spell retried without any new write.

One seeded server per module (per xdist worker); each test signs a fresh laptop database in as its own
device. Screens are rendered in Simplified Chinese to /tmp/shots/ for a person to look at."""

from __future__ import annotations

import datetime as dt
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from gridworker.app import GridworkerApp, ensure_signed_in, first_sign_in, open_context, read_identity, read_meta
from gridworker.paths import worker_db_path
from gridworker.store.db import Database
from gridworker.store.keys import key_path
from gridworker.store.reads import Reader
from gridworker.syncing.credentials import TokenStore
from gridworker.syncing.engine import Backoff, SyncEngine
from gridworker.syncing.transport import BusyError
from gridworker.ui.context import AppContext, Events
from gridworker.ui.i18n import Translations, server_message
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import LAST_USER, SERVER_URL, Settings
from gridworker.ui.sign_in import SignInDialog
from gridworker.ui.sync import FirstSignIn, SyncController, SyncState
from gridworker.ui.tasks import TaskManager
from tests.helpers.data import TODAY
from tests.helpers.faultproxy import FaultProxy, Html200, Pass, ResetImmediately
from tests.helpers.lock_keys import answer_set_pin
from tests.helpers.server import HEADERS, ServerProcess, run_cli

pytestmark = pytest.mark.slow
SHOTS = Path("/tmp/shots")
PASSWORD = "demo1234"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("sync-server")
    url = f"sqlite:///{folder / 'server.db'}"
    run_cli(url, "seed-demo", "--today", TODAY.isoformat(), "--grids-per-community", "1")
    process = ServerProcess(url).start()
    yield process
    process.stop()


@pytest.fixture
def zh(qtbot: QtBot) -> Iterator[None]:
    """Simplified Chinese, as users see the app; English again afterwards (other tests read English)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    translations = Translations(app)
    translations.install("zh_CN")
    yield
    translations.install("en")


def test_the_servers_refusals_are_translated_by_their_code(zh: None) -> None:
    """The server says its refusals in English; the app says them in the user's language, by code and
    with the code's parameters, and a code it does not know in the server's words."""
    minutes = "Too many failed sign-ins; try again in 15 minutes."
    assert server_message("too_many_attempts", {"minutes": 15}, minutes) == "登录失败次数过多，请15分钟后再试。"
    assert server_message("device_revoked", {}, "This device was revoked.") == "此设备已被停用，请重新登录。"
    assert server_message("some_new_code", {}, "Words of a newer server.") == "Words of a newer server."
    assert server_message("too_many_attempts", {}, minutes) == minutes  # its parameter missing
    # a code shared by several rules: its reason picks the text; a reason this app does not know, the code's
    assert server_message("invalid", {"reason": "outcome"}, "Invalid outcome.") == "走访结果不正确。"
    assert server_message("invalid_value", {"reason": "newer", "field": "x"}, "x: bad") == "数据不正确（x）。"
    assert server_message("unknown_field", {"field": "phone"}, "...") == "不能修改字段：phone。"
    # the app's own sync failures take the same path
    assert server_message("offline", {"error": "ConnectTimeout"}, "...") == "无法连接服务器：ConnectTimeout"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def tokens(folder: Path) -> TokenStore:
    return TokenStore(folder, use_keyring=False)  # never the keyring of whoever runs the tests


class Laptop:
    """One worker's database on a laptop, with its context, sync controller and main window."""

    def __init__(self, qtbot: QtBot, folder: Path, username: str, tokens: TokenStore, **options: object) -> None:
        self.qtbot = qtbot
        path = worker_db_path(username, folder)
        reader = Reader(path)
        self.ctx = AppContext(
            path,
            reader,
            TaskManager(),
            Settings(folder / "settings.ini"),
            read_identity(reader, username),
            Events(),
            today=lambda: TODAY,
        )
        # local changes are synced when the test says so, unless it tests the debounce
        options.setdefault("debounce_ms", 600_000)
        self.sync = SyncController(self.ctx, tokens, **options)  # type: ignore[arg-type]
        self.window = MainWindow(self.ctx, self.sync)
        qtbot.addWidget(self.window)
        self.window.resize(1366, 768)

    def start(self) -> None:
        """The window and the first sync, as the app starts."""
        with self.qtbot.waitSignal(self.sync.finished, timeout=90_000):
            self.window.show()
            self.window.start()
            self.sync.start()
        self.qtbot.waitUntil(lambda: self.window.today.browser.model.rowCount() > 0, timeout=20_000)
        self.wait_idle()

    def wait_idle(self) -> None:
        self.qtbot.waitUntil(lambda: self.ctx.tasks.is_idle() and self.sync.is_idle(), timeout=60_000)

    def sync_now(self) -> None:
        with self.qtbot.waitSignals([self.sync.finished], timeout=60_000):
            self.sync.sync_now()
        self.wait_idle()

    def sql(self, query: str, *params: object) -> list[tuple[object, ...]]:
        con = sqlite3.connect(self.ctx.path)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()

    def count(self, table: str, where: str = "1") -> int:
        return int(self.sql(f"SELECT count(*) FROM {table} WHERE {where}")[0][0])

    def edit_notes(self, household_id: uuid.UUID, notes: str) -> None:
        """A household edit as the edit dialog makes it: on the writer thread, then the event."""
        ctx = self.ctx
        ctx.tasks.write(lambda: ctx.store.update_household(household_id, {"notes": notes}))
        self.qtbot.waitUntil(ctx.tasks.is_idle, timeout=20_000)
        ctx.events.household_changed.emit(household_id)
        ctx.events.outbox_changed.emit()

    def close(self) -> None:
        self.sync.shutdown(timeout=30)
        self.window.close()
        self.qtbot.waitUntil(self.ctx.tasks.is_idle, timeout=20_000)
        self.ctx.tasks.shutdown()
        self.ctx.close()


@pytest.fixture
def laptops(qtbot: QtBot) -> Iterator[list[Laptop]]:
    made: list[Laptop] = []
    yield made
    for laptop in made:
        laptop.close()


def open_laptop(
    qtbot: QtBot, laptops: list[Laptop], folder: Path, username: str, tokens: TokenStore, **options: object
) -> Laptop:
    laptop = Laptop(qtbot, folder, username, tokens, **options)
    laptops.append(laptop)
    return laptop


def signed_in_laptop(
    qtbot: QtBot, laptops: list[Laptop], server: str, folder: Path, username: str, tokens: TokenStore
) -> Laptop:
    """A laptop signed in (without the dialog, as the demo does) and through its first sync."""
    assert ensure_signed_in(folder, server, username, PASSWORD, tokens)
    laptop = open_laptop(qtbot, laptops, folder, username, tokens)
    laptop.start()
    return laptop


def shoot(qtbot: QtBot, widget: QWidget, name: str) -> None:
    """Render to /tmp/shots once the layout has caught up with the last change (no label cut short)."""
    labels = [w for w in widget.findChildren(QLabel) if w.isVisible() and w.text() and not w.wordWrap()]
    qtbot.waitUntil(lambda: all(w.width() >= w.sizeHint().width() for w in labels), timeout=5000)
    QApplication.sendPostedEvents(None, QEvent.Type.LayoutRequest.value)  # a section just shown or hidden
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / name))


def type_into_dialog(qtbot: QtBot, dialog: SignInDialog, server: str, username: str, password: str) -> None:
    for field, text in ((dialog.server, server), (dialog.username, username), (dialog.password, password)):
        if field.isEnabled():
            field.selectAll()
            qtbot.keyClicks(field, text)


def test_first_sign_in_through_the_dialog_then_the_first_sync_fills_today(
    qtbot: QtBot, zh: None, server: ServerProcess, folder: Path, tokens: TokenStore, laptops: list[Laptop]
) -> None:
    call = FirstSignIn(folder, tokens)
    dialog = SignInDialog(call)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "登录网格员工作台"
    type_into_dialog(qtbot, dialog, server.base, "demo", "not-the-password")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter signs in
    qtbot.waitUntil(dialog.error.isVisible, timeout=30_000)
    assert dialog.error.text() == "用户名或密码不正确。"
    assert dialog.isVisible() and not dialog.busy
    assert dialog.password.hasSelectedText()  # typing replaces the wrong password
    shoot(qtbot, dialog, "sign_in_wrong_password.png")

    with qtbot.waitSignal(dialog.accepted, timeout=30_000):
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    call.shutdown()
    assert dialog.user_name() == "demo" and dialog.server_url() == server.base
    assert tokens.get(server.base, "demo")

    laptop = open_laptop(qtbot, laptops, folder, "demo", tokens)
    assert laptop.window.sync_status is not None
    laptop.start()
    assert laptop.count("household") > 100
    status = laptop.window.sync_status.label.text()
    assert status.startswith("上次同步：")
    last = laptop.sync.status.last_sync_at
    assert last is not None and last.astimezone().strftime("%H:%M") in status
    assert laptop.window.sync_status.sync_button.text() == "立即同步(&Y)"
    assert not laptop.window.sync_banner.isVisible()
    assert laptop.window.today.heading.text().startswith("今日")
    shoot(qtbot, laptop.window, "main_window_synced.png")


def test_sign_in_errors_are_said_in_the_dialog(
    qtbot: QtBot, zh: None, server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    call = FirstSignIn(folder, tokens)
    dialog = SignInDialog(call)
    qtbot.addWidget(dialog)
    dialog.show()

    def attempt(address: str, username: str, password: str = "wrong-password") -> str:
        dialog.error.hide()
        type_into_dialog(qtbot, dialog, address, username, password)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(dialog.error.isVisible, timeout=30_000)
        return dialog.error.text()

    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error.text() == "请填写服务器地址、用户名和密码。"

    with FaultProxy("127.0.0.1", server.port, default=ResetImmediately()) as proxy:
        text = attempt(proxy.url, "demo", PASSWORD)
        assert text.startswith(f"无法连接服务器 {proxy.url}。")
        proxy.default = Html200()  # a hotel's Wi-Fi login page answers instead of the server
        text = attempt(proxy.url, "demo", PASSWORD)
        assert text.startswith(f"{proxy.url} 不是网格员工作台的服务器。")
        shoot(qtbot, dialog, "sign_in_captive_portal.png")
        proxy.default = Pass()

    # five wrong passwords for one user name, then the server makes them wait
    for _ in range(5):
        r = requests.post(
            server.base + "/v1/auth/login",
            json={"username": "station01", "password": "wrong", "device_name": "test"},
            headers=HEADERS,
            timeout=30,
        )
        assert r.status_code == 401
    text = attempt(server.base, "station01")
    assert text == "登录失败次数过多，请15分钟后再试。"  # the server's words (its Chinese half): how long to wait
    shoot(qtbot, dialog, "sign_in_too_many.png")
    assert not tokens.get(server.base, "station01")
    call.shutdown()


def test_a_revoked_device_asks_to_sign_in_again_and_keeps_the_data_and_the_outbox(
    qtbot: QtBot, zh: None, server: ServerProcess, folder: Path, tokens: TokenStore, laptops: list[Laptop]
) -> None:
    laptop = signed_in_laptop(qtbot, laptops, server.base, folder, "worker03", tokens)
    households = laptop.count("household")
    device = laptop.sync.meta["device_id"]
    run_cli(server.url, "revoke-device", device)
    household = laptop.window.today.browser.model.record(0).id
    laptop.edit_notes(household, "楼道灯已报修")
    with qtbot.waitSignal(laptop.sync.failed, timeout=30_000):
        laptop.sync.sync_now()
    laptop.wait_idle()

    assert laptop.sync.status.state == SyncState.SIGN_IN_NEEDED
    window = laptop.window
    assert window.sync_status is not None
    assert window.sync_status.label.text() == "需要重新登录"
    assert window.sync_status.sign_in_button.isVisible() and not window.sync_status.sync_button.isVisible()
    assert window.sync_banner.isVisible() and window.sync_banner_button.isVisible()
    assert "此设备已被停用" in window.sync_banner_label.text()
    assert not laptop.sync.retry_pending()  # nothing to retry until the worker signs in
    # nothing local was touched: every household, the unsent edit
    assert laptop.count("household") == households
    assert laptop.count("outbox", "state = 'pending'") == 1
    qtbot.waitUntil(lambda: window.unsent_label.text() == "未发送：1", timeout=20_000)
    shoot(qtbot, window, "main_window_sign_in_needed.png")

    # a local change meanwhile does not try (and fail) again: the sync a change asks for (after the
    # debounce) does nothing until the worker signs in
    laptop.ctx.events.outbox_changed.emit()
    laptop.sync.request_sync()
    assert laptop.sync.status.state == SyncState.SIGN_IN_NEEDED and laptop.sync.is_idle()

    qtbot.mouseClick(window.sync_banner_button, Qt.MouseButton.LeftButton)
    dialog = window.sign_in_dialog
    qtbot.waitUntil(dialog.isVisible, timeout=20_000)
    assert dialog.username.text() == "worker03" and not dialog.username.isEnabled()
    assert dialog.server.text() == server.base
    shoot(qtbot, dialog, "sign_in_again.png")
    with qtbot.waitSignal(laptop.sync.finished, timeout=60_000):
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    laptop.wait_idle()
    assert laptop.sync.status.state == SyncState.IDLE
    assert laptop.count("outbox", "state = 'pending'") == 0
    assert laptop.count("outbox", "state = 'applied'") == 1
    assert laptop.sync.meta["device_id"] != device  # a revoked device is never reused
    assert not window.sync_banner.isVisible()


def test_signing_out_with_unsent_changes_asks_first_and_forgets_only_the_token(
    qtbot: QtBot, zh: None, server: ServerProcess, folder: Path, tokens: TokenStore, laptops: list[Laptop]
) -> None:
    laptop = signed_in_laptop(qtbot, laptops, server.base, folder, "demo", tokens)
    window = laptop.window
    household = window.today.browser.model.record(0).id
    laptop.edit_notes(household, "独居老人，每周电话联系")
    households = laptop.count("household")
    window.go(MainWindow.PAGE_SETTINGS)
    page = window.settings_page
    assert page.sign_out_button.isVisible()

    def ask() -> QMessageBox:
        before = getattr(page, "sign_out_box", None)  # the last question's box, deleted when it closed
        qtbot.mouseClick(page.sign_out_button, Qt.MouseButton.LeftButton)

        def asked() -> bool:
            box = getattr(page, "sign_out_box", None)
            return box is not None and box is not before and shiboken6.isValid(box) and box.isVisible()

        qtbot.waitUntil(asked, timeout=20_000)
        return page.sign_out_box

    box = ask()
    assert box.text() == "还有 1 项更改尚未发送。"
    assert "不会删除任何数据" in box.informativeText()
    shoot(qtbot, box, "sign_out_confirm.png")
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert box.defaultButton() is cancel
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=20_000)
    laptop.wait_idle()
    assert tokens.get(server.base, "demo")
    assert laptop.sync.status.state == SyncState.IDLE

    box = ask()
    confirm = box.findChild(QPushButton, "confirm_sign_out")
    with qtbot.waitSignal(laptop.sync.signed_out, timeout=30_000):
        qtbot.mouseClick(confirm, Qt.MouseButton.LeftButton)
    assert tokens.get(server.base, "demo") is None
    assert laptop.count("household") == households
    assert laptop.count("outbox", "state = 'pending'") == 1
    assert laptop.sync.status.state == SyncState.SIGN_IN_NEEDED


def test_a_rejected_change_is_listed_with_its_reason(
    qtbot: QtBot, zh: None, server: ServerProcess, folder: Path, tokens: TokenStore, laptops: list[Laptop]
) -> None:
    laptop = signed_in_laptop(qtbot, laptops, server.base, folder, "worker02", tokens)
    window = laptop.window
    kept = window.today.browser.model.record(0).id
    removed = window.today.browser.model.record(1).id
    run_cli(server.url, "household-remove", str(removed))  # the supervisor removed it meanwhile
    laptop.edit_notes(removed, "新电话 13800001111")
    laptop.edit_notes(kept, "已入户核实")
    window.go(MainWindow.PAGE_UNSENT)
    page = window.unsent
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=20_000)
    assert not page.attention.isVisible()
    assert page.pending_heading.text() == "待发送（2）"
    assert page.model.data(page.model.index(0, page.model.COL_STATE)) == "待发送"

    with qtbot.waitSignal(laptop.sync.finished, timeout=60_000) as finished:
        qtbot.mouseClick(window.sync_status.sync_button, Qt.MouseButton.LeftButton)  # type: ignore[union-attr]
    report = finished.args[0]
    assert (report.applied, report.rejected) == (1, 1)
    laptop.wait_idle()
    qtbot.waitUntil(lambda: page.attention_model.rowCount() == 1 and page.model.rowCount() == 0, timeout=20_000)
    assert page.attention.isVisible()
    model = page.attention_model
    assert page.attention_heading.text() == "需要处理（1）"
    assert model.data(model.index(0, model.COL_STATE)) == "被退回"
    assert model.data(model.index(0, model.COL_KIND)) == "修改住户信息：备注 （空） → 新电话 13800001111"
    # what was sent, why, and what to do, in full beside the list
    assert "新电话 13800001111" in page.item_text.text() and "该户已被主管删除" in page.item_text.text()
    assert "询问主管" in page.item_text.text() and not page.redo_button.isEnabled()
    assert model.data(model.index(0, model.COL_REASON)).startswith("该户已被主管删除")
    assert "The household" not in model.data(model.index(0, model.COL_REASON))
    assert "household_removed" in page.item_details.text()  # for support, not a column
    assert "1 项更改需要您处理" in page.summary.text()
    assert laptop.count("outbox", "state = 'rejected'") == 1  # set aside, never dropped
    assert window.unsent_label.text() == "未发送：1"
    shoot(qtbot, window, "unsent_rejected.png")


def test_offline_is_retried_with_backoff_without_any_new_write(
    qtbot: QtBot, zh: None, server: ServerProcess, folder: Path, tokens: TokenStore, laptops: list[Laptop]
) -> None:
    with FaultProxy("127.0.0.1", server.port) as proxy:
        assert ensure_signed_in(folder, proxy.url, "worker04", PASSWORD, tokens)
        backoff = Backoff(base=0.1, cap=0.2)  # the engine's floor is one second
        laptop = open_laptop(qtbot, laptops, folder, "worker04", tokens, backoff=backoff)
        laptop.start()
        proxy.default = ResetImmediately()  # the network goes away
        with qtbot.waitSignal(laptop.sync.failed, timeout=30_000):
            laptop.sync.sync_now()
        status = laptop.sync.status
        assert status.state == SyncState.RETRYING and status.offline
        assert status.retry_at is not None and laptop.sync.retry_pending()
        assert laptop.window.sync_status is not None
        assert laptop.window.sync_status.label.text() == f"离线，{status.retry_at.strftime('%H:%M')} 重试"
        assert not laptop.window.sync_banner.isVisible()  # no dialog, no banner: it sorts itself out
        shoot(qtbot, laptop.window, "main_window_offline.png")
        failures = backoff.failures
        proxy.default = Pass()  # the network is back: the scheduled retry goes through on its own
        with qtbot.waitSignal(laptop.sync.finished, timeout=30_000):
            pass
        assert backoff.failures == 0 and failures >= 1
        assert laptop.window.sync_status.label.text().startswith("上次同步：")
        laptop.wait_idle()


def test_a_local_change_syncs_after_a_quiet_moment(
    qtbot: QtBot, server: ServerProcess, folder: Path, tokens: TokenStore, laptops: list[Laptop]
) -> None:
    assert ensure_signed_in(folder, server.base, "demo", PASSWORD, tokens)
    assert not ensure_signed_in(folder, server.base, "demo", PASSWORD, tokens)  # signed in already
    # a debounce long enough that both edits of the burst commit inside it on a loaded machine
    laptop = open_laptop(qtbot, laptops, folder, "demo", tokens, debounce_ms=3000)
    laptop.start()
    household = laptop.window.today.browser.model.record(0).id
    attempts: list[object] = []
    laptop.sync.finished.connect(attempts.append)
    ctx = laptop.ctx
    with qtbot.waitSignal(laptop.sync.finished, timeout=60_000):
        for notes in ("第一次", "第二次"):  # a burst of edits goes out in one sync
            ctx.tasks.write(lambda notes=notes: ctx.store.update_household(household, {"notes": notes}))
            ctx.tasks.write(lambda: None, lambda _: ctx.events.outbox_changed.emit())
    laptop.wait_idle()
    assert len(attempts) == 1
    assert laptop.count("outbox", "state = 'applied'") == 2


def test_the_server_s_retry_after_is_a_floor(qtbot: QtBot, ctx: AppContext, tmp_path: Path) -> None:
    sync = SyncController(ctx, TokenStore(tmp_path, use_keyring=False), backoff=Backoff(base=0.1, cap=0.2))
    try:
        busy = BusyError("busy", "服务器繁忙，请稍后重试。The server is busy; retry shortly.", retry_after=90)
        sync._failed(busy, None)
        assert sync.status.state == SyncState.RETRYING and not sync.status.offline
        assert sync._retry.remainingTime() > 85_000
        assert sync.status.retry_at is not None
        assert sync.status.retry_at - dt.datetime.now().astimezone() > dt.timedelta(seconds=85)
    finally:
        sync.shutdown()


def answer_sign_in_screen(qtbot: QtBot, username: str, password: str) -> list[tuple[SignInDialog, str]]:
    """Type into the sign-in screen once it is up: it runs modally (its own event loop), as at start.
    Returns the dialog and the user name it showed before typing."""
    seen: list[tuple[SignInDialog, str]] = []

    def poll() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, SignInDialog) and w.isVisible()]
        if not shown:
            QTimer.singleShot(20, poll)
            return
        dialog = shown[0]
        seen.append((dialog, dialog.username.text()))
        assert dialog.isModal()
        qtbot.keyClicks(dialog.username, username)
        qtbot.keyClicks(dialog.password, password)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, poll)
    return seen


def test_the_first_sign_in_screen_signs_in_the_database_of_the_user_name_typed(
    qtbot: QtBot, server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    settings = Settings(folder / "settings.ini")
    seen = answer_sign_in_screen(qtbot, "worker02", PASSWORD)
    assert first_sign_in(folder, settings, tokens, server.base, "") == "worker02"
    assert seen and seen[0][0].server.text() == server.base
    assert settings.get(LAST_USER) == "worker02" and settings.get(SERVER_URL) == server.base
    reader = Reader(worker_db_path("worker02", folder))
    try:
        meta = reader.meta()
    finally:
        reader.close()
    assert meta["username"] == "worker02" and meta["device_id"] and meta["server_url"] == server.base
    assert tokens.get(server.base, "worker02")
    assert not worker_db_path("demo", folder).exists()


def test_a_name_typed_with_spaces_and_capitals_opens_the_same_database(
    qtbot: QtBot, server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    """Issue 11: " Worker03 " signed in to the server as worker03 but opened a database file of its own
    ("Worker03.db"): the same worker on one laptop had two databases. The name is normalised as the
    server does it (gridworker_shared.domain.usernames)."""
    settings = Settings(folder / "settings.ini")
    answer_sign_in_screen(qtbot, " Worker03 ", PASSWORD)
    assert first_sign_in(folder, settings, tokens, server.base, "") == "worker03"
    assert settings.get(LAST_USER) == "worker03" and tokens.get(server.base, "worker03")
    files = sorted(p.name for p in (folder / "workers").glob("*.db"))
    assert files == ["worker03.db"]
    assert worker_db_path("WORKER03 ", folder) == worker_db_path("worker03", folder) == folder / "workers" / files[0]


def test_a_database_signed_in_under_an_older_spelling_signs_in_again(
    server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    """A laptop database an older version signed in as "Worker04" (the server's spelling then) is
    worker04's: signing in again must not call it another worker's database."""
    assert ensure_signed_in(folder, server.base, "worker04", PASSWORD, tokens)
    path = worker_db_path("worker04", folder)
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE meta SET value = 'Worker04' WHERE key = 'username'")
    db = Database(path)
    try:
        answer = SyncEngine(db, tokens).sign_in(server.base, "worker04", PASSWORD)
    finally:
        db.close()
    assert answer.user.username == "worker04"
    assert read_meta(path)["username"] == "worker04"


def test_after_signing_out_another_worker_signs_in_to_their_own_database(
    qtbot: QtBot, server: ServerProcess, folder: Path, tokens: TokenStore
) -> None:
    assert ensure_signed_in(folder, server.base, "demo", PASSWORD, tokens)
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    ctx = open_context(folder, "demo", demo=False)
    sync = SyncController(ctx, tokens, debounce_ms=600_000)
    gw = GridworkerApp(app, ctx, Translations(app), sync)
    first = gw.window
    try:
        with qtbot.waitSignal(sync.finished, timeout=90_000):
            gw.show()
            sync.start()
        seen = answer_sign_in_screen(qtbot, "worker04", PASSWORD)
        pins = answer_set_pin()  # the worker who signed in sets the PIN of their database before it opens
        qtbot.mouseClick(first.settings_page.sign_out_button, Qt.MouseButton.LeftButton)  # nothing unsent: no question
        qtbot.waitUntil(lambda: gw.window is not first, timeout=60_000)
        assert seen and seen[0][1] == ""  # the screen asks who, afresh
        assert pins and key_path(worker_db_path("worker04", folder)).exists()
        assert seen[0][0].server.text() == server.base
        assert gw.ctx.identity.username == "worker04" and gw.ctx.path == worker_db_path("worker04", folder)
        assert gw.sync is not sync and gw.sync is not None
        qtbot.waitUntil(lambda: gw.sync is not None and gw.sync.status.last_sync_at is not None, timeout=90_000)
        assert tokens.get(server.base, "demo") is None and tokens.get(server.base, "worker04")
        assert worker_db_path("demo", folder).exists()  # the first worker's data stays, for their next sign-in
    finally:
        qtbot.waitUntil(lambda: gw.ctx.tasks.is_idle() and (gw.sync is None or gw.sync.is_idle()), timeout=60_000)
        gw.window.close()
        gw.shutdown()
        gw.close()
