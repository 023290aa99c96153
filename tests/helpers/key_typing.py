"""Typing like a clerk, for the entry screen tests.

Keys are sent to whichever widget has the focus (the grid, then the cell editor it opens), as a keyboard
would. Only ASCII digits, signs and control keys are typed; Chinese text goes in with setText().
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget


def focused(default: QWidget) -> QWidget:
    return QApplication.focusWidget() or default


def type_text(qtbot, widget: QWidget, text: str) -> None:
    """Type ASCII text where the focus is (the first key opens the cell editor)."""
    for char in text:
        qtbot.keyClick(focused(widget), char)


def press(qtbot, widget: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(focused(widget), key, modifier)


def key_in(qtbot, widget: QWidget, text: str, then: Qt.Key = Qt.Key.Key_Return) -> None:
    """Type a value into the current cell and leave it with `then` (Enter, Tab, ↓ …)."""
    type_text(qtbot, widget, text)
    press(qtbot, widget, then)
