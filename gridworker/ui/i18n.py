"""Translations: our .qm files and Qt's own (standard buttons), Simplified Chinese first."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from gridworker.store.schema import StoreError
from gridworker_shared.domain.validation import ValidationError
from gridworker_shared.resources import resource_path


class Translations:
    def __init__(self, app: QCoreApplication) -> None:
        self.app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def install(self, language: str) -> bool:
        """Switch to ``language`` ("zh_CN" or "en"); False if our translation file is missing."""
        for t in self._installed:
            self.app.removeTranslator(t)
        self._installed.clear()
        self.language = language
        if language == "en":
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        else:
            QLocale.setDefault(QLocale(language))
        # English is the source language; its file only holds plural forms ("1 day", "2 days")
        ours = QTranslator(self.app)
        ok = ours.load(str(resource_path("translations", f"gridworker_{language}.qm")))
        if ok:
            self.app.installTranslator(ours)
            self._installed.append(ours)
        if language == "en":
            return ok
        qt = QTranslator(self.app)
        if qt.load(f"qtbase_{language}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            self.app.installTranslator(qt)
            self._installed.append(qt)
        return ok


def error_text(error: ValidationError | StoreError) -> str:
    """A domain or store error in the user's language."""
    context = "validation" if isinstance(error, ValidationError) else "store"
    return QCoreApplication.translate(context, error.template).format(**error.params)
