"""Python's cyclic garbage collector runs on the GUI thread only.

CPython starts a collection on whichever thread happens to allocate when a generation's threshold is
crossed: the database reader, the writer, the sync thread. A Qt object caught in a reference cycle (a
widget and a lambda connected to its own signal, say) is then destroyed on that thread, and Qt crashes
(a segfault seen in the article picker's test, and only in the full suite, where earlier screens had
left cycles behind).
Anki and GitFourchette met the same crash and answer it the same way: the automatic collector is off and
a timer on the GUI thread collects, generation by generation, as the automatic one would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadCollector(QObject):
    """Turns automatic collection off while it lives; ``close`` collects everything and turns it back on."""

    INTERVAL_MS = 1000

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start(interval_ms)

    def collect_due(self) -> int:
        """Collect the oldest generation whose threshold has been crossed (none if none has); returns the
        number of unreachable objects found."""
        counts = gc.get_count()
        for generation in (2, 1, 0):
            if self._thresholds[generation] and counts[generation] > self._thresholds[generation]:
                return gc.collect(generation)
        return 0

    def close(self) -> None:
        self._timer.stop()
        gc.collect()
        if self._was_enabled:
            gc.enable()
