"""Shared by the entry screen tests: a demo county database per test, and typing like a clerk.

Keys are sent to whichever widget has the focus (the grid, then the cell editor it opens), as a keyboard
would. Only ASCII digits, signs and control keys are typed; Chinese text goes in with setText().
"""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ops.init_db import init_database
from desktop.store.db import connect


# Fixtures are registered under their names; test modules import the functions (ruff sees no shadowing).
@pytest.fixture(scope="session", name="demo_template")
def demo_template_fixture(tmp_path_factory):
    path = tmp_path_factory.mktemp("entry-demo") / "demo.sqlite"
    conn = init_database(path, demo=True).conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture(name="demo_path")
def demo_path_fixture(demo_template, tmp_path):
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture(name="demo_conn")
def demo_conn_fixture(demo_path, _bundled_font):
    conn = connect(demo_path)
    yield conn
    conn.close()


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


def stored(conn, element_code: str, unit_code: str, period: str):
    row = conn.execute(
        """SELECT v.value FROM data_value v JOIN data_element e ON e.id = v.element_id
           JOIN org_unit o ON o.id = v.org_unit_id WHERE e.code = ? AND o.code = ? AND v.period = ?""",
        (element_code, unit_code, period),
    ).fetchone()
    return row[0] if row else None


def audit(conn, element_code: str, unit_code: str, period: str) -> list[tuple]:
    """(action, old, new, reason) of a cell's audit rows, oldest first."""
    rows = conn.execute(
        """SELECT a.action, a.old_value, a.new_value, a.reason FROM audit_log a
           JOIN data_element e ON e.id = a.element_id JOIN org_unit o ON o.id = a.org_unit_id
           WHERE e.code = ? AND o.code = ? AND a.period = ? ORDER BY a.id""",
        (element_code, unit_code, period),
    )
    return [tuple(r) for r in rows]
