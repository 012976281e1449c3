"""The real app in its own process, with the visit form open and text typed into it, waiting to be
killed (kill -9) by a test. usage: python -m tests.helpers.draft_app DATA_DIR USERNAME TEXT"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from gridworker.app import GridworkerApp, open_context
from gridworker.ui.collector import GuiThreadCollector
from gridworker.ui.i18n import Translations
from gridworker.ui.visit_dialog import VisitDialog


def main() -> int:
    folder, username, text = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    app = QApplication([])
    GuiThreadCollector(app)  # as the app's main does
    ctx = open_context(folder, username, demo=False)
    gw = GridworkerApp(app, ctx, Translations(app))
    window = gw.show()

    def on_household_loaded(_: object) -> None:
        panel = window.today.browser.panel
        panel.loaded.disconnect(on_household_loaded)
        assert panel.detail is not None
        window.record_visit(panel.detail)

    def on_form(dialog: VisitDialog) -> None:
        dialog.outcome_buttons.button(1).setChecked(True)  # not at home
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(dialog.notes, event)  # typed through the input method, as Chinese is
        dialog.draft_saved.connect(lambda: print("draft saved", flush=True))

    window.today.browser.panel.loaded.connect(on_household_loaded)
    window.visit_form_opened.connect(on_form)
    return app.exec()  # runs until killed


if __name__ == "__main__":
    raise SystemExit(main())
