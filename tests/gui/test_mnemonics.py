"""Every Alt+letter on a page does one thing: no two buttons, labels or boxes of a page (with what the
window shows around every page) share a mnemonic, in English and in Chinese."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget
from pytestqt.qtbot import QtBot

from gridworker.ui.context import AppContext
from tests.helpers.gui import language_and_text_size, open_window, wait_idle

MNEMONIC = re.compile(r"&(?!&)(\w)")


def mnemonics(root: QWidget, skip: QWidget | None = None) -> list[tuple[str, str]]:
    """(letter, text) of every mnemonic under ``root``, outside ``skip``."""
    found = []
    for w in root.findChildren(QWidget):
        if skip is not None and (w is skip or skip.isAncestorOf(w)):
            continue
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.buddy() is not None):
            text = w.text()
        elif isinstance(w, QGroupBox):
            text = w.title()
        else:
            continue
        text = text.replace("&&", "")
        found += [(m.group(1).lower(), text) for m in MNEMONIC.finditer(text)]
    return found


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_no_page_has_two_widgets_with_the_same_mnemonic(qtbot: QtBot, ctx: AppContext, language: str) -> None:
    with language_and_text_size(language, 13):
        window = open_window(qtbot, ctx)
        around = mnemonics(window, skip=window.stack)  # the status bar, the banner: on every page
        clashes = {}
        for page in range(window.stack.count()):
            window.go(page)  # Settings builds its contact card on first show
            wait_idle(qtbot, ctx)
            found = around + mnemonics(window.stack.widget(page))
            counts = Counter(letter for letter, _ in found)
            dup = sorted((letter, text) for letter, text in found if counts[letter] > 1)
            if dup:
                clashes[window.nav.item(page).text()] = dup
        assert clashes == {}
