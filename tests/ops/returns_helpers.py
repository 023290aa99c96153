"""Shared by the returns tests: the demo county database, and values read straight from SQL so the tests do
not check the program against itself."""

from __future__ import annotations

import shutil
from pathlib import Path

from desktop.core.formulas import Formula, compute_indicator
from desktop.ops.init_db import init_database
from desktop.store.db import connect


def build_demo_file(directory: Path) -> Path:
    """The demo county in a closed file (copied per test: building it once per module is enough)."""
    path = directory / "demo.sqlite"
    result = init_database(path, demo=True)
    result.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    result.conn.close()
    return path


def copy_demo(demo_file: Path, directory: Path) -> Path:
    path = directory / "demo.sqlite"
    shutil.copyfile(demo_file, path)
    return path


def open_demo(path: Path):
    return connect(path)


def stored(conn, code: str, unit_code: str, period: str):
    row = conn.execute(
        """SELECT v.value FROM data_value v JOIN data_element e ON e.id = v.element_id
           JOIN org_unit o ON o.id = v.org_unit_id WHERE e.code = ? AND o.code = ? AND v.period = ?""",
        (code, unit_code, period),
    ).fetchone()
    return row[0] if row else None


def resolved(conn, code: str, unit_code: str, period: str):
    """The unit's own value, else the sum of its children's (recursively); None when nobody has one."""
    own = stored(conn, code, unit_code, period)
    if own is not None:
        return own
    children = [
        r[0]
        for r in conn.execute(
            "SELECT c.code FROM org_unit c JOIN org_unit p ON p.id = c.parent_id WHERE p.code = ?",
            (unit_code,),
        )
    ]
    parts = [v for v in (resolved(conn, code, c, period) for c in children) if v is not None]
    return sum(parts) if parts else None


def indicator_value(conn, indicator_code: str, unit_code: str, period: str):
    numerator, denominator, factor = conn.execute(
        "SELECT numerator, denominator, factor FROM indicator WHERE code = ?", (indicator_code,)
    ).fetchone()
    num = Formula.parse(numerator)
    den = Formula.parse(denominator) if denominator else None
    codes = num.codes | (den.codes if den else frozenset())
    return compute_indicator(num, den, factor, {c: resolved(conn, c, unit_code, period) for c in codes})


def audit_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def all_values(conn) -> list[tuple]:
    return conn.execute(
        "SELECT element_id, period, org_unit_id, value FROM data_value ORDER BY element_id, period, org_unit_id"
    ).fetchall()
