"""The main window's splitter (navigation | pages), promoted in forms/main_window.ui.

It differs from QSplitter in one way that matters before the first paint: ``QSplitter(parent)`` makes
PySide6 weigh the ``QSplitter(Qt.Orientation, parent)`` overload, which builds all 94 Python enums of the
``Qt`` namespace (~20 ms on an office PC, a sixth of a bare window's start; see bench/startup.py). Built
without arguments and then given its parent, it stays cheap. Orientation is Qt's default, horizontal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QWidget


class NavSplitter(QSplitter):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__()
        if parent is not None:
            self.setParent(parent)
