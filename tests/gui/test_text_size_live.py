"""A text size chosen in Settings applies at once to every widget, as a restart would show it: list
rows, tick boxes and radio buttons, the preview line, captions, the status bar's unsent count,
Settings' notes; and Today at the largest size still shows the head of household."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTableView, QWidget
from pytestqt.qtbot import QtBot

from gridworker.app import apply_text_size
from gridworker.ui.context import AppContext
from gridworker.ui.main_window import MainWindow
from gridworker.ui.models import HouseholdTableModel
from gridworker.ui.settings import TEXT_SIZES
from tests.helpers.gui import language_and_text_size, open_window, wait_idle


def measures(window: MainWindow) -> dict[str, object]:
    """What a text size changes, widget by widget (by object path: class and text)."""
    out: dict[str, object] = {}
    for w in window.findChildren(QWidget):
        if isinstance(w, QTableView):
            key = f"rows:{w.objectName() or w.model().__class__.__name__}"
            out[key] = w.verticalHeader().defaultSectionSize()
        elif isinstance(w, QAbstractButton) and w.text():
            out[f"{type(w).__name__}:{w.text()}"] = (w.font().pointSize(), w.sizeHint().height())
        elif isinstance(w, QLabel) and w.text() and not w.text().startswith("<"):
            out[f"label:{w.text()[:20]}"] = w.font().pointSize()
    return out


def test_a_new_text_size_applies_at_once_as_after_a_restart(qtbot: QtBot, ctx: AppContext) -> None:
    largest = TEXT_SIZES[-1]
    with language_and_text_size("zh_CN", 13):
        window = open_window(qtbot, ctx)
        window.resize(1366, 768)
        for page in range(window.stack.count()):
            window.go(page)
        wait_idle(qtbot, ctx)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        window.settings_page.text_size_changed.connect(lambda points: apply_text_size(app, points))
        window.go(MainWindow.PAGE_SETTINGS)
        window.settings_page.size_slider.setValue(len(TEXT_SIZES) - 1)  # the user moves the slider
        QApplication.processEvents()
        live = measures(window)
        window.close()

    with language_and_text_size("zh_CN", largest):  # as the next start shows it
        fresh = open_window(qtbot, ctx)
        fresh.resize(1366, 768)
        for page in range(fresh.stack.count()):
            fresh.go(page)
        wait_idle(qtbot, ctx)
        restarted = measures(fresh)
        differ = {k: (live[k], restarted[k]) for k in live.keys() & restarted.keys() if live[k] != restarted[k]}
        assert differ == {}, "\n".join(f"{k}: {v}" for k, v in sorted(differ.items()))

        fresh.go(MainWindow.PAGE_TODAY)
        QApplication.processEvents()
        view = fresh.today.browser.view
        head = view.columnViewportPosition(HouseholdTableModel.COL_HEAD) + view.columnWidth(
            HouseholdTableModel.COL_HEAD
        )
        fresh.grab().save("/tmp/app2shots/today_22.png")
        assert head <= view.viewport().width()  # 户主 in sight without scrolling
