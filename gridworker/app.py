"""Start-up: settings, translations, the worker's database (migrated, backed up), the main window."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox

from gridworker import __version__
from gridworker.paths import data_dir, worker_db_path
from gridworker.store.keys import key_path
from gridworker.store.reads import Reader
from gridworker.store.schema import StoreError, prepare
from gridworker.syncing.credentials import TokenStore
from gridworker.ui.collector import GuiThreadCollector
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.i18n import Translations, error_text
from gridworker.ui.lock import LockController, wire_lock
from gridworker.ui.main_window import MainWindow
from gridworker.ui.pin_gate import PinGate, forget_session_key
from gridworker.ui.settings import LANGUAGE, LAST_USER, LOCK_MINUTES, SERVER_URL, TEXT_SIZE, Settings
from gridworker.ui.sign_in import SignInDialog
from gridworker.ui.sync import SyncController, has_signed_in, sign_in_database
from gridworker.ui.tasks import TaskManager
from gridworker.ui.unlock import UnlockingSignIn, demo_unlock, recover_secret, signed_in_here, unlock_worker
from gridworker.ui.windows import make_window
from gridworker_shared.logsafe import SafeFormatter, log_uncaught

if TYPE_CHECKING:
    from gridworker.demo.server import DemoServer
    from gridworker.ui.review.window import ReviewWindow
    from gridworker.ui.work_order_window import WorkOrdersWindow

log = logging.getLogger("gridworker")
DEMO_USER = "demo"
# the database a fresh laptop opens before any worker has signed in on it (an empty Today behind the
# sign-in screen; the worker's own database opens after the sign-in)
NEW_LAPTOP_USER = "worker"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="gridworker", description="Gridworker, the grid worker's offline desktop app")
    p.add_argument("--demo", action="store_true", help="open the demo city as the demo worker (seeded on first run)")
    p.add_argument(
        "--demo-user",
        default=DEMO_USER,
        metavar="NAME",
        help="with --demo: sign in to the demo server as this account instead (supervisor, station01, …)",
    )
    p.add_argument("--user", help="open this worker's database")
    p.add_argument("--data-dir", type=Path, help="where databases and settings live (default: the platform's)")
    p.add_argument("--server", metavar="URL", help="the sync server's address (remembered for the next sign-in)")
    p.add_argument("--no-sync", action="store_true", help="neither sign in nor sync: work on this laptop only")
    p.add_argument(
        "--smoke-test",
        action="store_true",
        help="start without signing in or syncing, show the Today view, and exit 0 (the installer's check)",
    )
    p.add_argument("--version", action="version", version=f"gridworker {__version__}")
    args = p.parse_args(list(argv))
    if args.demo_user != DEMO_USER and (not args.demo or args.no_sync or args.smoke_test):
        p.error("--demo-user needs --demo with its server (not --no-sync or --smoke-test)")
    return args


def setup_logging(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    # ids and codes, never a resident's data: exceptions without their values (gridworker_shared.logsafe)
    handler = logging.handlers.RotatingFileHandler(
        folder / "gridworker.log", maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(SafeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    log_uncaught(log)


def has_cjk_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def apply_text_size(app: QApplication, points: int) -> None:
    font = QFont(app.font())
    font.setPointSize(points)
    app.setFont(font)


def read_identity(reader: Reader, username: str) -> Identity:
    values = reader.meta()
    worker_id = values.get("worker_id")
    return Identity(
        # a database without a worker yet (before the first sign-in) gets a stable id from its name
        worker_id=uuid.UUID(worker_id) if worker_id else uuid.uuid5(uuid.NAMESPACE_URL, f"gridworker:{username}"),
        username=values.get("username", username),
        name=values.get("worker_name", username),
        grid_name=values.get("grid_name", ""),
        role=values.get("role") or "worker",
    )


def read_meta(path: Path) -> dict[str, str]:
    """The meta values of a worker's database, read without keeping it open."""
    reader = Reader(path)
    try:
        return reader.meta()
    finally:
        reader.close()


def ensure_signed_in(
    folder: Path, server_url: str, username: str, password: str, tokens: TokenStore | None = None
) -> bool:
    """Sign ``username``'s database on this laptop in to ``server_url`` without the sign-in screen (the demo:
    ``demo`` / ``demo1234``); nothing happens if it is signed in there already. True if it signed in.
    Call it before open_context (the worker's identity is read there). Raises the engine's SyncError."""
    tokens = tokens or TokenStore(folder)
    path = worker_db_path(username, folder)
    if path.exists():
        prepare(path)
        meta = read_meta(path)
        there = meta.get("server_url") == server_url.rstrip("/")
        if there and has_signed_in(meta, tokens) and not meta.get("sign_in_needed"):
            return False
    sign_in_database(folder, server_url, username, password, tokens)
    return True


def first_sign_in(folder: Path, settings: Settings, tokens: TokenStore, server_url: str, username: str) -> str | None:
    """The sign-in screen before the window (the first start on this laptop, or after a sign-out). The
    sign-in goes into the database of the user name typed; returns that name, or None if cancelled."""
    call = UnlockingSignIn(folder, tokens)
    dialog = SignInDialog(call, server_url, username)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
    finally:
        call.shutdown()
    settings.set(SERVER_URL, dialog.server_url())
    settings.set(LAST_USER, dialog.user_name())
    return dialog.user_name()


class GridworkerApp:
    """Owns the context, the sync and the main window; rebuilds the window when the language changes."""

    def __init__(
        self,
        app: QApplication,
        ctx: AppContext,
        translations: Translations,
        sync: SyncController | None = None,
        lock: LockController | None = None,
    ) -> None:
        self.app = app
        self.ctx = ctx
        self.translations = translations
        self.sync = sync
        self.lock = lock
        if sync is not None:
            sync.signed_out.connect(self._on_signed_out)
            sync.wipe_required.connect(self._on_wipe)
        self.window = self._make_window()

    def _make_window(self) -> MainWindow | ReviewWindow | WorkOrdersWindow:
        window = make_window(self.ctx, self.sync)
        window.settings_page.text_size_changed.connect(self.set_text_size)
        window.settings_page.language_changed.connect(self.set_language)
        if self.lock is not None:
            wire_lock(window, window.settings_page, self.lock)
        return window

    def show(self) -> MainWindow | ReviewWindow | WorkOrdersWindow:
        self.window.showMaximized()
        self.window.start()
        return self.window

    def set_text_size(self, points: int) -> None:
        self.ctx.settings.set(TEXT_SIZE, points)
        apply_text_size(self.app, points)

    def set_language(self, language: str) -> None:
        """Every string is re-read: the window is built again in the new language, on the same page."""
        self.ctx.settings.set(LANGUAGE, language)
        self.translations.install(language)
        old = self.window
        page = old.stack.currentIndex()
        geometry = old.saveGeometry()
        self.window = self._make_window()
        self.window.restoreGeometry(geometry)
        self.window.go(page)
        self.show()
        old.close()
        old.deleteLater()

    def _on_signed_out(self) -> None:
        """Another worker may use this laptop now: the sign-in screen, then that worker's own database.
        Cancelled: the app quits (the data stays, for the next sign-in)."""
        self.window.hide()
        forget_session_key(self.ctx.path)
        if self.lock is not None:
            self.lock.pause(True)
        folder = self.ctx.path.parent.parent
        assert self.sync is not None
        server = self.sync.meta.get("server_url", "")
        tokens = self.sync.tokens
        QTimer.singleShot(0, lambda: self._sign_in_other(folder, server, tokens))

    def _on_wipe(self, mode: str) -> None:
        """The server said this laptop was reported lost or handed over (what was unsent is sent): the
        window closes, the database closes, its data is removed, the user is told why, then the sign-in
        screen shows (issue 14)."""
        self.window.hide()
        QTimer.singleShot(0, lambda: self._wipe_now(mode))

    def _wipe_now(self, mode: str) -> None:
        from gridworker.syncing import wipe
        from gridworker.ui.wipe_notice import show_wipe_notices

        assert self.sync is not None
        old, old_ctx, tokens = self.window, self.ctx, self.sync.tokens
        server, folder = self.sync.meta.get("server_url", ""), self.ctx.path.parent.parent
        self.sync.shutdown()
        self.sync = None
        log.info("this laptop was revoked (%s): its data is removed", mode)

        def wipe_then_sign_in() -> None:
            close_context(old_ctx)
            wipe.finish_wipes(folder, tokens)
            show_wipe_notices(folder)
            self._sign_in_other(folder, server, tokens, closed=True)

        old.destroyed.connect(lambda: QTimer.singleShot(0, wipe_then_sign_in))
        old.close()
        old.deleteLater()

    def _sign_in_other(self, folder: Path, server: str, tokens: TokenStore, *, closed: bool = False) -> None:
        username = first_sign_in(folder, self.ctx.settings, tokens, server, "")
        if username is None or not unlock_worker(folder, username, self.ctx.settings, server, tokens):
            self.app.quit()
            return
        old, old_ctx = self.window, self.ctx
        if self.sync is not None:
            self.sync.shutdown()
        if not closed:  # (after a wipe the old window and database are closed already)
            old.close()
            old.deleteLater()
            # the old database's threads end after its window is gone: until then an answer on its way (or
            # the window's own teardown) may still ask them for something
            old.destroyed.connect(lambda: QTimer.singleShot(0, lambda: close_context(old_ctx)))
        self.ctx = open_context(folder, username, demo=False)
        if self.lock is not None:
            self.lock.gate = PinGate(self.ctx.path)
            self.lock.who = self.ctx.identity.name
            self.lock.recover = lambda password: recover_secret(self.ctx.path, tokens, server, username, password)
        self.sync = SyncController(self.ctx, tokens)
        self.sync.signed_out.connect(self._on_signed_out)
        self.sync.wipe_required.connect(self._on_wipe)
        self.window = self._make_window()
        self.show()
        if self.lock is not None:
            self.lock.pause(False)
        self.sync.start()

    def shutdown(self) -> None:
        """At quit: no more syncs, queued writes (a draft) finish, reads are dropped."""
        if self.lock is not None:
            self.lock.shutdown()
        if self.sync is not None:
            self.sync.shutdown()
        self.ctx.tasks.shutdown(interrupt=self.ctx.reader.interrupt)

    def close(self) -> None:
        self.ctx.close()


def start_demo(folder: Path, username: str) -> DemoServer:
    """``make run``: the local demo server, the laptop signed in to it as the demo worker, and the first
    sync done before the window opens (so Today is not empty for its first second)."""
    from gridworker.demo.server import DEMO_PASSWORD, DemoServer
    from gridworker.store.db import Database
    from gridworker.syncing.engine import SyncEngine

    server = DemoServer(folder).start()
    path = worker_db_path(username, folder)
    if path.exists() and not read_meta(path).get("server_url"):
        # a demo database seeded on the laptop alone (before sync existed): start afresh from the server
        for suffix in ("", "-wal", "-shm"):
            old = Path(str(path) + suffix)
            if old.exists():
                old.replace(Path(str(path) + suffix + ".pre-sync"))
    tokens = TokenStore(folder)
    ensure_signed_in(folder, server.base, username, DEMO_PASSWORD, tokens)
    db = Database(path)
    try:
        SyncEngine(db, tokens).sync()
    finally:
        db.close()
    return server


def open_context(folder: Path, username: str, demo: bool) -> AppContext:
    """Open a worker's database for the app: migrate if needed (backup first), then the reader.
    The SQLAlchemy write side opens later, on the writer thread (AppContext.store)."""
    path = worker_db_path(username, folder)
    prepare(path)
    if demo:
        from gridworker.demo.seed import seed_demo

        seed_demo(path, DEMO_USER)
    reader = Reader(path)
    identity = read_identity(reader, username)
    settings = Settings(folder / "settings.ini")
    return AppContext(path, reader, TaskManager(), settings, identity, Events())


def close_context(ctx: AppContext) -> None:
    ctx.tasks.shutdown(interrupt=ctx.reader.interrupt)
    ctx.close()


def refuse_demo(missing: str) -> int:
    """``--demo`` in an installation without the server (the installer carries the app alone): say so on
    stderr and in a box, and exit 2."""
    from gridworker.demo import SERVER_EXTRA

    print(
        f"gridworker: --demo needs the Gridworker server ({missing} is not installed): {SERVER_EXTRA}", file=sys.stderr
    )
    text = QCoreApplication.translate(
        "app",
        "The demo needs the Gridworker server, which this installation does not include. Install it with: {command}",
    ).format(command=SERVER_EXTRA)
    QMessageBox.critical(None, "Gridworker", text)
    return 2


def warn_without_cjk_font(smoke_test: bool) -> None:
    if has_cjk_font():
        return
    text = QCoreApplication.translate(
        "app",
        "No Chinese font is installed, so Chinese text would show as boxes. Install one "
        "(for example fonts-wqy-microhei or Noto Sans CJK) and start Gridworker again.",
    )
    if smoke_test:  # nobody is there to close a box: the smoke test says it and goes on
        print(f"gridworker: {text}", file=sys.stderr)
    else:
        QMessageBox.warning(None, "Gridworker", text)


def start_qt() -> QApplication:
    QCoreApplication.setOrganizationName("Gridworker")
    QCoreApplication.setApplicationName("Gridworker")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    GuiThreadCollector(app)  # from here on only the GUI thread collects reference cycles (Qt objects in them)
    return app


def open_database(
    app: QApplication, folder: Path, username: str, args: argparse.Namespace
) -> tuple[AppContext, DemoServer | None] | int:
    """The worker's database opened (with ``--demo``: the demo server started, or the demo city seeded on
    the laptop with ``--no-sync`` / ``--smoke-test``); an exit code if that failed, said in a box."""
    served_demo = args.demo and not (args.no_sync or args.smoke_test)
    splash: QLabel | None = None
    if args.demo and (served_demo or not worker_db_path(username, folder).exists()):
        # the first demo start generates a city: say so instead of showing nothing for seconds
        splash = QLabel(QCoreApplication.translate("app", "Preparing the demo city…"))
        splash.setWindowFlags(Qt.WindowType.SplashScreen)
        splash.setMargin(32)
        splash.show()
        app.processEvents()
    demo_server = None
    try:
        if args.demo:  # encrypted with the demo PIN, opened without asking
            from gridworker.demo import DEMO_PIN

            demo_unlock(worker_db_path(username, folder), DEMO_PIN)
        if served_demo:
            demo_server = start_demo(folder, username)
            args.server = demo_server.base
        return open_context(folder, username, args.demo and not served_demo), demo_server
    except StoreError as e:
        QMessageBox.critical(None, "Gridworker", error_text(e))
        return 2
    except Exception as e:  # the demo server did not start: say why, nothing else to do
        log.exception("demo server")
        QMessageBox.critical(None, "Gridworker", str(e))
        return 2
    finally:
        if splash is not None:
            splash.close()


def signed_in_context(
    ctx: AppContext, folder: Path, settings: Settings, server_url: str | None
) -> tuple[AppContext, SyncController] | None:
    """Before the window: the sign-in screen if this database has not signed in yet (the first start on
    this laptop); the database of the worker who signed in, with its sync. None: nothing to work on."""
    if server_url:
        settings.set(SERVER_URL, server_url)
    tokens = TokenStore(folder)
    meta = ctx.reader.meta()
    if not has_signed_in(meta, tokens):
        server = meta.get("server_url") or server_url or settings.get(SERVER_URL)
        signed = first_sign_in(folder, settings, tokens, server, meta.get("username", ""))
        close_context(ctx)
        if signed is None or not unlock_worker(folder, signed, settings, settings.get(SERVER_URL), tokens):
            # whoever is at the laptop has not signed in: the app quits rather than open the data of the
            # worker this database belonged to (signed out since) or of nobody
            return None
        ctx = open_context(folder, signed, demo=False)
    return ctx, SyncController(ctx, tokens)


def start_user(args: argparse.Namespace, settings: Settings) -> str:
    """The worker whose database opens: ``--user``, the demo worker with ``--demo``, else the last worker who
    signed in here (never the demo worker, whom only ``--demo`` opens), else the new-laptop name."""
    if args.user:
        return str(args.user)
    if args.demo:
        return str(args.demo_user)
    last = settings.get(LAST_USER)
    return last if last and last != DEMO_USER else NEW_LAPTOP_USER


def sign_in_first(folder: Path, settings: Settings, args: argparse.Namespace, username: str) -> str | None:
    """A fresh laptop (no database for ``username`` yet, no ``--demo``): the sign-in screen before any database
    is created, with no user name filled in but the one given with ``--user``. The name signed in as, or
    ``username`` if it has a database already; None if the sign-in was cancelled (nothing is created)."""
    if args.demo or args.no_sync or args.smoke_test or worker_db_path(username, folder).exists():
        return username
    if args.server:
        settings.set(SERVER_URL, args.server)
    return first_sign_in(folder, settings, TokenStore(folder), args.server or settings.get(SERVER_URL), args.user or "")


def unlock_at_start(folder: Path, settings: Settings, args: argparse.Namespace, username: str) -> str | None:
    """Before any database opens: the PIN of ``username``'s (or, the first time, a new PIN, the database
    encrypted). A database signed out of the server is not unlocked for whoever is at the laptop: the
    sign-in comes first (an encrypted one's here, a plain one's in signed_in_context), then the PIN of who
    signed in. The user whose database opens; None if cancelled. The demo has its own PIN (open_database);
    the smoke test's empty database on an empty data folder has none."""
    path = worker_db_path(username, folder)
    has_key = key_path(path).exists()
    if args.demo or (args.smoke_test and not has_key):
        return username
    tokens = None if (args.no_sync or args.smoke_test) else TokenStore(folder)
    server = args.server or settings.get(SERVER_URL)
    if tokens is not None and path.exists() and not signed_in_here(path, has_key, tokens, server, username):
        if not has_key:
            return username
        signed = first_sign_in(folder, settings, tokens, server, username)  # asks the PIN of who signs in
        if signed is None:
            return None
        username = signed
    return username if unlock_worker(folder, username, settings, server, tokens) else None


def make_lock(app: QApplication, ctx: AppContext, args: argparse.Namespace) -> LockController | None:
    """The app lock over every window, where the database has a PIN (not the smoke test's plain one)."""
    if not key_path(ctx.path).exists():
        return None
    hint = ""
    if args.demo:
        from gridworker.demo import DEMO_PIN

        hint = QCoreApplication.translate("app", "Demo PIN: {pin}").format(pin=DEMO_PIN)
    recover = None
    server = args.server or ctx.settings.get(SERVER_URL)
    if server and not (args.no_sync or args.smoke_test):
        tokens, path, user = TokenStore(ctx.path.parent.parent), ctx.path, ctx.identity.username
        recover = lambda password: recover_secret(path, tokens, server, user, password)  # noqa: E731
    return LockController(
        app,
        PinGate(ctx.path),
        minutes=ctx.settings.get(LOCK_MINUTES),
        who=ctx.identity.name,
        hint=hint,
        recover=recover,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``--demo``: the demo city (needs the server installed). Otherwise the last worker's database, or on a
    fresh laptop an empty one until the worker signs in. ``--smoke-test`` (the installer's check) starts as
    a worker does, without signing in or syncing, and quits once Today has shown."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    folder = args.data_dir or data_dir()
    setup_logging(folder)
    app = start_qt()
    settings = Settings(folder / "settings.ini")
    translations = Translations(app)
    translations.install(settings.get(LANGUAGE))
    apply_text_size(app, settings.get(TEXT_SIZE))
    if args.demo:
        from gridworker.demo import missing_server

        missing = missing_server()
        if missing is not None:
            return refuse_demo(missing)

    if not (args.demo or args.no_sync or args.smoke_test):
        # a laptop revoked as lost or handed over wipes its data before anything shows (issue 14)
        from gridworker.ui.wipe_notice import check_at_start

        check_at_start(folder, args.server or settings.get(SERVER_URL), start_user(args, settings))
    signed_in = sign_in_first(folder, settings, args, start_user(args, settings))
    if signed_in is None:
        return 0  # cancelled before any worker signed in: nothing was created
    unlocked = unlock_at_start(folder, settings, args, signed_in)
    if unlocked is None:
        return 0  # the PIN (or the sign-in before it) cancelled: nothing was opened
    username = unlocked
    opened = open_database(app, folder, username, args)
    if isinstance(opened, int):
        return opened
    ctx, demo_server = opened
    if demo_server is not None:
        app.aboutToQuit.connect(demo_server.stop)
    if not args.demo:  # the demo never becomes the worker a plain start opens
        settings.set(LAST_USER, username)
    sync: SyncController | None = None
    if not (args.no_sync or args.smoke_test):
        signed = signed_in_context(ctx, folder, settings, args.server)
        if signed is None:
            return 0
        ctx, sync = signed
    warn_without_cjk_font(args.smoke_test)
    gw = GridworkerApp(app, ctx, translations, sync, make_lock(app, ctx, args))
    window = gw.show()
    if sync is not None:
        sync.start()
    app.aboutToQuit.connect(gw.shutdown)
    if args.smoke_test:
        shown = window.today_shown if isinstance(window, MainWindow) else window.workspace_shown
        shown.connect(lambda: QTimer.singleShot(0, app.quit))
    code = app.exec()
    gw.close()
    return int(code)
