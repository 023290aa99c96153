"""Projects from the plans' 重点项目/专栏 and their dated milestones.

Callers hold the transaction (desktop.store.db.atomic); these functions never commit.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.store.db import insert_row

STAGES = ("谋划", "前期", "在建", "竣工", "投用")


@dataclass(frozen=True)
class Project:
    id: int
    plan_id: int | None
    name: str
    category: str | None
    description: str | None
    org_unit_id: int | None
    lead_department: str | None
    implementer: str | None
    planned_investment: float | None
    stage: str
    planned_start: str | None
    planned_finish: str | None
    actual_start: str | None
    actual_finish: str | None
    suspended: bool
    note: str | None
    sort_order: int


@dataclass(frozen=True)
class Milestone:
    id: int
    project_id: int
    name: str
    due_on: str | None
    done_on: str | None
    evidence: str | None
    sort_order: int


_PROJECT_FIELDS = (
    "plan_id",
    "name",
    "category",
    "description",
    "org_unit_id",
    "lead_department",
    "implementer",
    "planned_investment",
    "stage",
    "planned_start",
    "planned_finish",
    "actual_start",
    "actual_finish",
    "suspended",
    "note",
    "sort_order",
)
_MILESTONE_FIELDS = ("project_id", "name", "due_on", "done_on", "evidence", "sort_order")
_PROJECT_COLUMNS = "id, " + ", ".join(_PROJECT_FIELDS)
_MILESTONE_COLUMNS = "id, " + ", ".join(_MILESTONE_FIELDS)


def _project(row: sqlite3.Row) -> Project:
    return Project(**{**dict(row), "suspended": bool(row["suspended"])})


def _checked(fields: dict[str, Any], allowed: tuple[str, ...], table: str) -> list[str]:
    # Column names go into the SQL text, so only known columns pass (values always go as parameters).
    unknown = [k for k in fields if k not in allowed]
    if unknown:
        raise ValueError(f"unknown {table} column(s): {', '.join(unknown)}")
    return list(fields)


def _update(
    conn: sqlite3.Connection, table: str, row_id: int, fields: dict[str, Any], allowed: tuple[str, ...]
) -> None:
    names = _checked(fields, allowed, table)
    conn.execute(
        f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in names)} WHERE id = ?",
        [*(fields[k] for k in names), row_id],
    )


def insert_project(conn: sqlite3.Connection, *, name: str, **fields: Any) -> int:
    """Insert a project (name required; other keys are project columns) and return its id."""
    data = {"name": name, **fields}
    if "suspended" in data:
        data["suspended"] = int(bool(data["suspended"]))
    _checked(data, _PROJECT_FIELDS, "project")
    return insert_row(conn, "project", data)


def update_project(conn: sqlite3.Connection, project_id: int, **fields: Any) -> None:
    """Change the given columns of one project (stage, dates, org unit …)."""
    if not fields:
        return
    if "suspended" in fields:
        fields["suspended"] = int(bool(fields["suspended"]))
    _update(conn, "project", project_id, fields, _PROJECT_FIELDS)


def insert_milestone(conn: sqlite3.Connection, *, project_id: int, name: str, **fields: Any) -> int:
    """Insert a milestone of a project (due_on/done_on are ISO dates) and return its id."""
    data = {"project_id": project_id, "name": name, **fields}
    _checked(data, _MILESTONE_FIELDS, "milestone")
    return insert_row(conn, "milestone", data)


def update_milestone(conn: sqlite3.Connection, milestone_id: int, **fields: Any) -> None:
    """Change the given columns of one milestone (done_on, evidence …)."""
    if not fields:
        return
    _update(conn, "milestone", milestone_id, fields, _MILESTONE_FIELDS)


def get_project(conn: sqlite3.Connection, project_id: int) -> Project | None:
    row = conn.execute(f"SELECT {_PROJECT_COLUMNS} FROM project WHERE id = ?", (project_id,)).fetchone()
    return _project(row) if row else None


def get_project_by_name(conn: sqlite3.Connection, plan_id: int | None, name: str) -> Project | None:
    """The first project of a plan (or of no plan, plan_id None) with exactly this name."""
    row = conn.execute(
        f"SELECT {_PROJECT_COLUMNS} FROM project WHERE plan_id IS ? AND name = ? ORDER BY sort_order, id",
        (plan_id, name),
    ).fetchone()
    return _project(row) if row else None


def list_projects(conn: sqlite3.Connection, plan_id: int | None = None) -> list[Project]:
    """Projects in register order; only one plan's when plan_id is given."""
    if plan_id is None:
        rows = conn.execute(f"SELECT {_PROJECT_COLUMNS} FROM project ORDER BY plan_id, sort_order, id")
    else:
        rows = conn.execute(
            f"SELECT {_PROJECT_COLUMNS} FROM project WHERE plan_id = ? ORDER BY sort_order, id", (plan_id,)
        )
    return [_project(r) for r in rows]


def list_milestones(conn: sqlite3.Connection, project_id: int) -> list[Milestone]:
    rows = conn.execute(
        f"SELECT {_MILESTONE_COLUMNS} FROM milestone WHERE project_id = ? ORDER BY sort_order, id",
        (project_id,),
    )
    return [Milestone(**dict(r)) for r in rows]


def count_projects(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM project").fetchone()[0])


def count_milestones(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM milestone").fetchone()[0])


def delete_milestone(conn: sqlite3.Connection, milestone_id: int) -> None:
    """Remove one milestone."""
    conn.execute("DELETE FROM milestone WHERE id = ?", (milestone_id,))


def delete_project(conn: sqlite3.Connection, project_id: int) -> None:
    """Remove a project and (ON DELETE CASCADE) its milestones."""
    conn.execute("DELETE FROM project WHERE id = ?", (project_id,))


def milestones_by_project(conn: sqlite3.Connection) -> dict[int, list[Milestone]]:
    """Every milestone, grouped by project id, each project's in order — one query for a whole register."""
    result: dict[int, list[Milestone]] = {}
    rows = conn.execute(f"SELECT {_MILESTONE_COLUMNS} FROM milestone ORDER BY project_id, sort_order, id")
    for row in rows:
        result.setdefault(row["project_id"], []).append(Milestone(**dict(row)))
    return result
