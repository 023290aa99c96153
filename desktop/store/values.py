"""Data values and their audit trail. Every write here writes its audit row in the same transaction.

Callers hold the transaction (desktop.store.db.atomic); these functions never commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_UNSET: Any = object()


@dataclass(frozen=True)
class StoredValue:
    element_id: int
    period: str
    org_unit_id: int
    value: Any
    comment: str | None
    follow_up: bool
    provenance: str | None
    provenance_formula: str | None
    provenance_source: str | None
    stored_by: str
    stored_at: str


@dataclass(frozen=True)
class AuditEntry:
    id: int
    element_id: int
    period: str
    org_unit_id: int
    action: str
    old_value: Any
    new_value: Any
    old_comment: str | None
    new_comment: str | None
    changed_by: str
    changed_at: str
    reason: str | None


_VALUE_COLUMNS = (
    "element_id, period, org_unit_id, value, comment, follow_up, provenance, provenance_formula, "
    "provenance_source, stored_by, stored_at"
)


def _stored(row: sqlite3.Row) -> StoredValue:
    return StoredValue(**{**dict(row), "follow_up": bool(row["follow_up"])})


def get_value(conn: sqlite3.Connection, element_id: int, period: str, org_unit_id: int) -> StoredValue | None:
    row = conn.execute(
        f"SELECT {_VALUE_COLUMNS} FROM data_value WHERE element_id = ? AND period = ? AND org_unit_id = ?",
        (element_id, period, org_unit_id),
    ).fetchone()
    return _stored(row) if row else None


def list_values(conn: sqlite3.Connection, org_unit_id: int, period: str) -> list[StoredValue]:
    rows = conn.execute(
        f"SELECT {_VALUE_COLUMNS} FROM data_value WHERE org_unit_id = ? AND period = ?", (org_unit_id, period)
    )
    return [_stored(r) for r in rows]


def write_value(
    conn: sqlite3.Connection,
    *,
    element_id: int,
    period: str,
    org_unit_id: int,
    value: Any,
    stored_by: str,
    stored_at: str,
    comment: str | Any | None = _UNSET,
    provenance: str | Any | None = _UNSET,
    provenance_formula: str | Any | None = _UNSET,
    provenance_source: str | Any | None = _UNSET,
    reason: str | None = None,
) -> str | None:
    """Insert, change or (value None and no comment) delete one value, with its audit row.

    Arguments left unset keep what is stored. Returns the audit action ('insert', 'update', 'delete') or
    None when nothing changed (no audit row is written for a no-op, so re-typing a value is free).
    """
    old = get_value(conn, element_id, period, org_unit_id)
    new_comment = (old.comment if old else None) if comment is _UNSET else comment
    fields = {
        "provenance": provenance,
        "provenance_formula": provenance_formula,
        "provenance_source": provenance_source,
    }
    for name, given in fields.items():
        if given is _UNSET:
            fields[name] = getattr(old, name) if old else None

    if value is None and not new_comment:
        if old is None:
            return None
        conn.execute(
            "DELETE FROM data_value WHERE element_id = ? AND period = ? AND org_unit_id = ?",
            (element_id, period, org_unit_id),
        )
        action = "delete"
    elif old is None:
        conn.execute(
            f"INSERT INTO data_value ({_VALUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)",
            (
                element_id,
                period,
                org_unit_id,
                value,
                new_comment,
                fields["provenance"],
                fields["provenance_formula"],
                fields["provenance_source"],
                stored_by,
                stored_at,
            ),
        )
        action = "insert"
    else:
        unchanged = (
            old.value == value
            and type(old.value) is type(value)
            and old.comment == new_comment
            and all(getattr(old, k) == v for k, v in fields.items())
        )
        if unchanged:
            return None
        conn.execute(
            """UPDATE data_value SET value = ?, comment = ?, provenance = ?, provenance_formula = ?,
                      provenance_source = ?, stored_by = ?, stored_at = ?
               WHERE element_id = ? AND period = ? AND org_unit_id = ?""",
            (
                value,
                new_comment,
                fields["provenance"],
                fields["provenance_formula"],
                fields["provenance_source"],
                stored_by,
                stored_at,
                element_id,
                period,
                org_unit_id,
            ),
        )
        action = "update"
    conn.execute(
        """INSERT INTO audit_log (element_id, period, org_unit_id, action, old_value, new_value, old_comment,
                                  new_comment, changed_by, changed_at, reason)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            element_id,
            period,
            org_unit_id,
            action,
            old.value if old else None,
            None if action == "delete" else value,
            old.comment if old else None,
            None if action == "delete" else new_comment,
            stored_by,
            stored_at,
            reason,
        ),
    )
    return action


def insert_values_bulk(
    conn: sqlite3.Connection,
    rows: Iterable[tuple[int, str, int, Any]]
    | Iterable[tuple[int, str, int, Any, str | None, str | None, str | None]],
    *,
    stored_by: str,
    stored_at: str,
    reason: str,
) -> int:
    """Insert many new values (element_id, period, org_unit_id, value[, provenance, formula, source]) at once.

    For loading seed data and imports into empty cells: each value still gets its audit row, written with
    executemany so thousands of values take milliseconds. Fails (and the caller's transaction rolls back) if a
    cell already holds a value.
    """
    prepared = []
    for row in rows:
        element_id, period, org_unit_id, value, *prov = row
        provenance, formula, source = ([*list(prov), None, None, None])[:3]
        prepared.append((element_id, period, org_unit_id, value, provenance, formula, source))
    conn.executemany(
        "INSERT INTO data_value (element_id, period, org_unit_id, value, provenance, provenance_formula, "
        "provenance_source, stored_by, stored_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(*p, stored_by, stored_at) for p in prepared],
    )
    conn.executemany(
        "INSERT INTO audit_log (element_id, period, org_unit_id, action, new_value, changed_by, changed_at, reason) "
        "VALUES (?, ?, ?, 'insert', ?, ?, ?, ?)",
        [(p[0], p[1], p[2], p[3], stored_by, stored_at, reason) for p in prepared],
    )
    return len(prepared)


def list_audit(conn: sqlite3.Connection, element_id: int, period: str, org_unit_id: int) -> list[AuditEntry]:
    """The audit trail of one cell, newest first."""
    rows = conn.execute(
        """SELECT id, element_id, period, org_unit_id, action, old_value, new_value, old_comment, new_comment,
                  changed_by, changed_at, reason
           FROM audit_log WHERE element_id = ? AND period = ? AND org_unit_id = ? ORDER BY id DESC""",
        (element_id, period, org_unit_id),
    )
    return [AuditEntry(**dict(r)) for r in rows]


def count_values(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM data_value").fetchone()[0])


def values_for_period(
    conn: sqlite3.Connection, period: str, element_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], Any]:
    """All stored values of one period as {(element_id, org_unit_id): value}, in one query.

    The primary key starts with (element_id, period), so asking for a few elements reads only their rows.
    """
    if element_ids is None:
        rows = conn.execute(
            "SELECT element_id, org_unit_id, value FROM data_value WHERE period = ?", (period,)
        )
        return {(r[0], r[1]): r[2] for r in rows}
    result: dict[tuple[int, int], Any] = {}
    for element_id in dict.fromkeys(element_ids):
        rows = conn.execute(
            "SELECT org_unit_id, value FROM data_value WHERE element_id = ? AND period = ?",
            (element_id, period),
        )
        result.update({(element_id, r[0]): r[1] for r in rows})
    return result
