"""Org units: the county -> township/street -> facility tree, and who files for whom (代报)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class OrgUnit:
    id: int
    code: str
    name: str
    short_name: str | None
    level: int
    unit_type: str
    unit_type_name: str
    parent_id: int | None
    admin_code: str | None
    uscc: str | None
    opened_on: str | None
    closed_on: str | None
    filed_by_id: int | None
    sort_order: int

    @property
    def display_name(self) -> str:
        return self.short_name or self.name


_SELECT = """
SELECT o.id, o.code, o.name, o.short_name, o.level, o.unit_type, t.name AS unit_type_name, o.parent_id,
       o.admin_code, o.uscc, o.opened_on, o.closed_on, o.filed_by_id, o.sort_order
FROM org_unit o JOIN org_unit_type t ON t.code = o.unit_type
"""


def _row(row: sqlite3.Row) -> OrgUnit:
    return OrgUnit(**dict(row))


def list_org_units(conn: sqlite3.Connection) -> list[OrgUnit]:
    """Every unit, parents before children, siblings in their sort order (ready to build a tree from)."""
    rows = conn.execute(_SELECT + " ORDER BY o.level, o.sort_order, o.code").fetchall()
    return [_row(r) for r in rows]


def get_org_unit(conn: sqlite3.Connection, unit_id: int) -> OrgUnit | None:
    row = conn.execute(_SELECT + " WHERE o.id = ?", (unit_id,)).fetchone()
    return _row(row) if row else None


def get_org_unit_by_code(conn: sqlite3.Connection, code: str) -> OrgUnit | None:
    row = conn.execute(_SELECT + " WHERE o.code = ?", (code,)).fetchone()
    return _row(row) if row else None


def list_children(conn: sqlite3.Connection, parent_id: int) -> list[OrgUnit]:
    rows = conn.execute(_SELECT + " WHERE o.parent_id = ? ORDER BY o.sort_order, o.code", (parent_id,))
    return [_row(r) for r in rows]


def list_filed_by(conn: sqlite3.Connection, filer_id: int) -> list[OrgUnit]:
    """Units whose returns filer_id files on their behalf (代报)."""
    rows = conn.execute(_SELECT + " WHERE o.filed_by_id = ? ORDER BY o.sort_order, o.code", (filer_id,))
    return [_row(r) for r in rows]


def list_unit_types(conn: sqlite3.Connection) -> list[tuple[str, str, int]]:
    """(code, name, level) of every org unit type, in display order."""
    return [tuple(r) for r in conn.execute("SELECT code, name, level FROM org_unit_type ORDER BY sort_order")]


def insert_org_unit(
    conn: sqlite3.Connection,
    *,
    code: str,
    name: str,
    level: int,
    unit_type: str,
    short_name: str | None = None,
    parent_id: int | None = None,
    admin_code: str | None = None,
    uscc: str | None = None,
    opened_on: str | None = None,
    closed_on: str | None = None,
    filed_by_id: int | None = None,
    sort_order: int = 0,
) -> int:
    """Insert one unit and return its id. Callers validate codes (core.codes) before they get here."""
    cur = conn.execute(
        """INSERT INTO org_unit (code, name, short_name, level, unit_type, parent_id, admin_code, uscc,
                                 opened_on, closed_on, filed_by_id, sort_order)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            code,
            name,
            short_name,
            level,
            unit_type,
            parent_id,
            admin_code,
            uscc,
            opened_on,
            closed_on,
            filed_by_id,
            sort_order,
        ),
    )
    return int(cur.lastrowid)


def count_org_units(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM org_unit").fetchone()[0])
