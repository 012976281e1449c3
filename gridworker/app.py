"""Start-up: settings, translations, the worker's database (migrated, backed up), the main window."""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import sys
import uuid
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from gridworker import __version__
from gridworker.paths import data_dir, worker_db_path
from gridworker.store.reads import Reader
from gridworker.store.schema import StoreError, prepare
from gridworker.ui.context import AppContext, Events, Identity
from gridworker.ui.i18n import Translations, error_text
from gridworker.ui.main_window import MainWindow
from gridworker.ui.settings import LANGUAGE, LAST_USER, TEXT_SIZE, Settings
from gridworker.ui.tasks import TaskManager

log = logging.getLogger("gridworker")
DEMO_USER = "demo"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="gridworker", description="Gridworker, the grid worker's offline desktop app")
    p.add_argument("--demo", action="store_true", help="open the demo city as the demo worker (seeded on first run)")
    p.add_argument("--user", help="open this worker's database")
    p.add_argument("--data-dir", type=Path, help="where databases and settings live (default: the platform's)")
    p.add_argument("--smoke-test", action="store_true", help="start, show the Today view, and exit 0")
    p.add_argument("--version", action="version", version=f"gridworker {__version__}")
    return p.parse_args(list(argv))


def setup_logging(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(folder / "gridworker.log", maxBytes=2_000_000, backupCount=3)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def has_cjk_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def apply_text_size(app: QApplication, points: int) -> None:
    font = QFont(app.font())
    font.setPointSize(points)
    app.setFont(font)


def seed_demo(path: Path) -> None:
    """The demo worker's grid from the demo city (until the server arrives and syncs it)."""
    from gridworker.store.db import Database
    from gridworker.store.seed import is_empty, load_city, set_meta
    from sync.demo import generate_city

    db = Database(path)
    try:
        if not is_empty(db):
            return
        city = generate_city()
        worker = next(w for w in city.workers if w.username == DEMO_USER)
        part = city.grid(worker.grid_id)
        load_city(db, part)
        grid = next(u for u in part.org_units if u.id == worker.grid_id)
        with db.transaction() as s:
            set_meta(
                s,
                worker_id=str(worker.id),
                username=worker.username,
                worker_name=worker.name,
                grid_name=grid.name,
                device_id=str(uuid.uuid4()),
                demo="1",
            )
    finally:
        db.close()


def read_identity(reader: Reader, username: str) -> Identity:
    values = reader.meta()
    worker_id = values.get("worker_id")
    return Identity(
        # a database without a worker yet (before the first sign-in) gets a stable id from its name
        worker_id=uuid.UUID(worker_id) if worker_id else uuid.uuid5(uuid.NAMESPACE_URL, f"gridworker:{username}"),
        username=values.get("username", username),
        name=values.get("worker_name", username),
        grid_name=values.get("grid_name", ""),
    )


class GridworkerApp:
    """Owns the context and the main window; rebuilds the window when the language changes."""

    def __init__(self, app: QApplication, ctx: AppContext, translations: Translations) -> None:
        self.app = app
        self.ctx = ctx
        self.translations = translations
        self.window = self._make_window()

    def _make_window(self) -> MainWindow:
        window = MainWindow(self.ctx)
        window.settings_page.text_size_changed.connect(self.set_text_size)
        window.settings_page.language_changed.connect(self.set_language)
        return window

    def show(self) -> MainWindow:
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


def open_context(folder: Path, username: str, demo: bool) -> AppContext:
    """Open a worker's database for the app: migrate if needed (backup first), then the reader.
    The SQLAlchemy write side opens later, on the writer thread (AppContext.store)."""
    path = worker_db_path(username, folder)
    prepare(path)
    if demo:
        seed_demo(path)
    reader = Reader(path)
    identity = read_identity(reader, username)
    settings = Settings(folder / "settings.ini")
    return AppContext(path, reader, TaskManager(), settings, identity, Events())


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    folder = args.data_dir or data_dir()
    setup_logging(folder)
    QCoreApplication.setOrganizationName("Gridworker")
    QCoreApplication.setApplicationName("Gridworker")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    settings = Settings(folder / "settings.ini")
    translations = Translations(app)
    translations.install(settings.get(LANGUAGE))
    apply_text_size(app, settings.get(TEXT_SIZE))

    username = args.user or (DEMO_USER if args.demo else settings.get(LAST_USER) or DEMO_USER)
    demo = args.demo or username == DEMO_USER
    splash: QLabel | None = None
    if demo and not worker_db_path(username, folder).exists():
        # the first demo start generates a city: say so instead of showing nothing for seconds
        splash = QLabel(QCoreApplication.translate("app", "Preparing the demo city…"))
        splash.setWindowFlags(Qt.WindowType.SplashScreen)
        splash.setMargin(32)
        splash.show()
        app.processEvents()
    try:
        ctx = open_context(folder, username, demo)
    except StoreError as e:
        QMessageBox.critical(None, "Gridworker", error_text(e))
        return 2
    finally:
        if splash is not None:
            splash.close()
    settings.set(LAST_USER, username)
    if not has_cjk_font():
        QMessageBox.warning(
            None,
            "Gridworker",
            QCoreApplication.translate(
                "app",
                "No Chinese font is installed, so Chinese text would show as boxes. Install one "
                "(for example fonts-wqy-microhei or Noto Sans CJK) and start Gridworker again.",
            ),
        )
    gw = GridworkerApp(app, ctx, translations)
    window = gw.show()
    app.aboutToQuit.connect(lambda: ctx.tasks.shutdown(interrupt=ctx.reader.interrupt))
    if args.smoke_test:
        window.today_shown.connect(lambda: QTimer.singleShot(0, app.quit))
    code = app.exec()
    ctx.close()
    return int(code)
