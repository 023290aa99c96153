"""Indicators (what plans set targets on) and their aliases (人均期望寿命 = 人均预期寿命)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    id: int
    code: str
    name: str
    unit: str | None
    direction: str
    numerator: str | None
    denominator: str | None
    factor: float
    decimals: int
    description: str | None


_COLUMNS = "id, code, name, unit, direction, numerator, denominator, factor, decimals, description"


def insert_indicator(
    conn: sqlite3.Connection,
    *,
    code: str,
    name: str,
    unit: str | None = None,
    direction: str = "up",
    numerator: str | None = None,
    denominator: str | None = None,
    factor: float = 1.0,
    decimals: int = 2,
    description: str | None = None,
    aliases: tuple[str, ...] | list[str] = (),
) -> int:
    """Insert an indicator with its aliases (its own name counts as one) and return its id."""
    cur = conn.execute(
        f"INSERT INTO indicator ({_COLUMNS.replace('id, ', '', 1)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (code, name, unit, direction, numerator, denominator, factor, decimals, description),
    )
    indicator_id = int(cur.lastrowid)
    add_aliases(conn, indicator_id, [name, *aliases])
    return indicator_id


def add_aliases(conn: sqlite3.Connection, indicator_id: int, aliases: list[str] | tuple[str, ...]) -> None:
    """Record more spellings of an indicator; an alias already taken (by it or another) stays where it is."""
    conn.executemany(
        "INSERT OR IGNORE INTO indicator_alias (alias, indicator_id) VALUES (?, ?)",
        [(a, indicator_id) for a in dict.fromkeys(aliases)],
    )


def list_all_aliases(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """Every (alias, indicator_id), alphabetically: what fuzzy name matching scans."""
    return [
        (r[0], r[1]) for r in conn.execute("SELECT alias, indicator_id FROM indicator_alias ORDER BY alias")
    ]


def count_aliases(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM indicator_alias").fetchone()[0])


def get_indicator(conn: sqlite3.Connection, indicator_id: int) -> Indicator | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM indicator WHERE id = ?", (indicator_id,)).fetchone()
    return Indicator(**dict(row)) if row else None


def get_indicator_by_code(conn: sqlite3.Connection, code: str) -> Indicator | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM indicator WHERE code = ?", (code,)).fetchone()
    return Indicator(**dict(row)) if row else None


def find_indicator_by_alias(conn: sqlite3.Connection, name: str) -> Indicator | None:
    """Exact match on the name or any alias."""
    row = conn.execute(
        f"SELECT {', '.join('i.' + c.strip() for c in _COLUMNS.split(','))} FROM indicator i "
        "JOIN indicator_alias a ON a.indicator_id = i.id WHERE a.alias = ?",
        (name,),
    ).fetchone()
    return Indicator(**dict(row)) if row else None


def list_indicators(conn: sqlite3.Connection) -> list[Indicator]:
    return [Indicator(**dict(r)) for r in conn.execute(f"SELECT {_COLUMNS} FROM indicator ORDER BY code")]


def list_aliases(conn: sqlite3.Connection, indicator_id: int) -> list[str]:
    rows = conn.execute(
        "SELECT alias FROM indicator_alias WHERE indicator_id = ? ORDER BY alias", (indicator_id,)
    )
    return [r[0] for r in rows]
