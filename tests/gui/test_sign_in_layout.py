"""The sign-in dialog grows to show an error: the fields keep their height, nothing is squashed."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridworker.syncing.transport import OfflineError
from gridworker.ui.sign_in import SignInDialog
from tests.helpers.gui import language_and_text_size


@pytest.mark.parametrize("points", [13, 22])
def test_an_error_does_not_squash_the_fields(qtbot: QtBot, points: int) -> None:
    def fail(_url: str, _user: str, _password: str, _done: Any, on_error: Any) -> None:
        on_error(OfflineError("offline", "connection refused"))

    with language_and_text_size("zh_CN", points):
        dialog = SignInDialog(fail, "grid.example.gov.cn", "wangxy")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.password.setText("secret")
        dialog.sign_in_button.click()
        qtbot.waitUntil(dialog.error.isVisible)
        QApplication.processEvents()
        dialog.grab().save(f"/tmp/app2shots/sign_in_error_{points}.png")
        for field in (dialog.server, dialog.username, dialog.password):
            assert field.height() >= field.sizeHint().height(), field.objectName()
        error = dialog.error
        assert error.height() >= error.heightForWidth(error.width())  # the whole message in sight
