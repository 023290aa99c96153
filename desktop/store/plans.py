"""Plans, their indicator rows and the targets per milestone year (raw text + parsed rule)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from desktop.store.db import insert_row


@dataclass(frozen=True)
class Plan:
    id: int
    code: str
    title: str
    short_title: str | None
    issuer: str | None
    doc_number: str | None
    issued_on: str | None
    region: str | None
    level: str | None
    period_start: int | None
    period_end: int | None
    baseline_year: int | None
    source: str | None
    note: str | None


@dataclass(frozen=True)
class Target:
    id: int
    year: int
    raw: str
    kind: str
    value: float | None
    value_max: float | None
    base_year: int | None
    change: str | None
    direction: str | None
    strict: bool
    hedge: bool
    ambiguous: bool
    note: str | None


@dataclass(frozen=True)
class PlanIndicator:
    id: int
    plan_id: int
    indicator_id: int
    indicator_code: str
    seq: str | None
    domain: str | None
    name_as_written: str
    unit_as_written: str | None
    nature: str | None
    lead_department: str | None
    baseline_raw: str | None
    baseline_value: float | None
    baseline_year: int | None
    note: str | None
    targets: tuple[Target, ...] = field(default=())


_PLAN_COLUMNS = (
    "id, code, title, short_title, issuer, doc_number, issued_on, region, level, period_start, period_end, "
    "baseline_year, source, note"
)
_TARGET_FIELDS = (
    "year",
    "raw",
    "kind",
    "value",
    "value_max",
    "base_year",
    "change",
    "direction",
    "strict",
    "hedge",
    "ambiguous",
    "note",
)


def insert_plan(conn: sqlite3.Connection, **fields: Any) -> int:
    """Insert a plan; fields are the plan table's columns (code and title required)."""
    return insert_row(conn, "plan", {k: v for k, v in fields.items() if k != "id"})


def insert_plan_indicator(conn: sqlite3.Connection, **fields: Any) -> int:
    """Insert one row of a plan's indicator table (plan_id, indicator_id, name_as_written required)."""
    return insert_row(conn, "plan_indicator", {k: v for k, v in fields.items() if k != "id"})


def insert_target(
    conn: sqlite3.Connection, plan_indicator_id: int, year: int, reading: dict[str, Any]
) -> int:
    """Store a target: reading is a parsed target as a dict (core.targets.TargetReading.to_dict())."""
    values = [year] + [reading.get(k) for k in _TARGET_FIELDS[1:]]
    for i, name in enumerate(_TARGET_FIELDS):
        if name in ("strict", "hedge", "ambiguous"):
            values[i] = int(bool(values[i]))
    cur = conn.execute(
        f"INSERT INTO target (plan_indicator_id, {', '.join(_TARGET_FIELDS)}) "
        f"VALUES (?, {', '.join('?' * len(_TARGET_FIELDS))})",
        [plan_indicator_id, *values],
    )
    return int(cur.lastrowid)


def list_plans(conn: sqlite3.Connection) -> list[Plan]:
    rows = conn.execute(f"SELECT {_PLAN_COLUMNS} FROM plan ORDER BY COALESCE(period_start, 0) DESC, id")
    return [Plan(**dict(r)) for r in rows]


def get_plan(conn: sqlite3.Connection, plan_id: int) -> Plan | None:
    row = conn.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE id = ?", (plan_id,)).fetchone()
    return Plan(**dict(row)) if row else None


def get_plan_by_code(conn: sqlite3.Connection, code: str) -> Plan | None:
    row = conn.execute(f"SELECT {_PLAN_COLUMNS} FROM plan WHERE code = ?", (code,)).fetchone()
    return Plan(**dict(row)) if row else None


def _target(row: sqlite3.Row) -> Target:
    data = {k: row[k] for k in ("id", *_TARGET_FIELDS)}
    for flag in ("strict", "hedge", "ambiguous"):
        data[flag] = bool(data[flag])
    return Target(**data)


def list_plan_indicators(conn: sqlite3.Connection, plan_id: int) -> list[PlanIndicator]:
    """The plan's indicator table in printed order, each row with its targets by year."""
    targets: dict[int, list[Target]] = {}
    for row in conn.execute(
        f"SELECT t.plan_indicator_id, t.id, {', '.join('t.' + f for f in _TARGET_FIELDS)} FROM target t "
        "JOIN plan_indicator p ON p.id = t.plan_indicator_id WHERE p.plan_id = ? ORDER BY t.year",
        (plan_id,),
    ):
        targets.setdefault(row["plan_indicator_id"], []).append(_target(row))
    rows = conn.execute(
        """SELECT p.id, p.plan_id, p.indicator_id, i.code AS indicator_code, p.seq, p.domain, p.name_as_written,
                  p.unit_as_written, p.nature, p.lead_department, p.baseline_raw, p.baseline_value,
                  p.baseline_year, p.note
           FROM plan_indicator p JOIN indicator i ON i.id = p.indicator_id
           WHERE p.plan_id = ? ORDER BY p.sort_order, p.id""",
        (plan_id,),
    )
    return [PlanIndicator(**dict(r), targets=tuple(targets.get(r["id"], ()))) for r in rows]


def target_years(conn: sqlite3.Connection, plan_id: int) -> list[int]:
    """The milestone years that have at least one target in the plan, ascending."""
    rows = conn.execute(
        "SELECT DISTINCT t.year FROM target t JOIN plan_indicator p ON p.id = t.plan_indicator_id "
        "WHERE p.plan_id = ? ORDER BY t.year",
        (plan_id,),
    )
    return [r[0] for r in rows]
