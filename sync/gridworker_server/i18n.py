"""The app's translations, read by the server without Qt: one home for every message's Chinese text.

The app translates its messages through Qt: ``pyside6-lupdate`` collects every ``tr()`` and
``QT_TRANSLATE_NOOP(context, text)`` into ``resources/translations/gridworker_zh_CN.ts`` and ``lrelease``
compiles it into the ``.qm`` file the app loads. The server has no Qt, so it reads the same ``.ts`` file
(plain XML) and looks a message up the way ``QCoreApplication.translate`` does: by its context and its
English source text, the source itself when there is no translation. So a message the server and the app
both show (a validation error in a roster report and in the app's forms) reads the same in both, and is
translated in one place.
"""

from __future__ import annotations

import functools
import logging
import xml.etree.ElementTree as ET

from gridworker_shared.domain import validation
from gridworker_shared.resources import resource_path

__all__ = ["LANGUAGE", "catalogue", "translate", "validation_message"]

_log = logging.getLogger(__name__)

LANGUAGE = "zh_CN"  # the language users see; the only one the app ships
_NOT_COMPILED = frozenset({"vanished", "obsolete"})  # lrelease leaves these out of the .qm file


@functools.cache
def catalogue(language: str = LANGUAGE) -> dict[tuple[str, str], str]:
    """``(context, source) -> translation`` from ``resources/translations/gridworker_<language>.ts``.

    As ``lrelease`` compiles it: vanished and obsolete entries and empty translations are left out;
    entries with a disambiguating comment are too (``translate`` is never asked with one). Read once.
    """
    path = resource_path("translations", f"gridworker_{language}.ts")
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):  # the server still answers, in English, and the log says why
        _log.error("translations %s could not be read; messages stay in English", path, exc_info=True)
        return {}
    found: dict[tuple[str, str], str] = {}
    for context in root.iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            source = message.findtext("source")
            translation = message.find("translation")
            if source is None or translation is None or message.findtext("comment"):
                continue
            if translation.get("type") in _NOT_COMPILED:
                continue
            forms = [form.text or "" for form in translation.iter("numerusform")]
            text = forms[0] if forms else (translation.text or "")  # Chinese has one plural form
            if text:
                found[(name, source)] = text
    return found


def translate(context: str, source: str, /, **params: object) -> str:
    """The message in the users' language with ``params`` filled in (``str.format``, as the app does);
    the English source when it has no translation, as Qt does."""
    text = catalogue().get((context, source), source)
    return text.format(**params) if params else text


def validation_message(error: validation.ValidationError) -> str:
    """A validation error as the app shows it (``validation.py``'s templates, in its context)."""
    return translate(validation.CONTEXT, error.template, **error.params)
