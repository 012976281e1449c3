"""The font printed Chinese is drawn in (Qt GUI, no widgets): cards and handouts embed it in the PDF.

Without a font that has Simplified Chinese, Qt would print boxes; callers check for ``None`` and say
so before printing (the fix is to install one, e.g. ``fonts-wqy-microhei`` or ``fonts-noto-cjk``).
"""

from __future__ import annotations

from typing import Final

from PySide6.QtGui import QFont, QFontDatabase, QFontMetricsF

# families that draw Simplified Chinese well, best first; any other family that has it comes after
PREFERRED_CJK: Final = (
    "WenQuanYi Micro Hei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)


def cjk_font_family() -> str | None:
    """An installed font family that draws Simplified Chinese, the preferred ones first (a monospaced
    one last); None if there is none. Needs a QGuiApplication."""
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    ordered: list[str] = [f for f in PREFERRED_CJK if f in families]
    ordered += [f for f in families if f not in ordered and "mono" not in f.lower()]
    ordered += [f for f in families if f not in ordered]
    for family in ordered:
        if QFontMetricsF(QFont(family)).inFontUcs4(ord("网")):
            return family
    return None
