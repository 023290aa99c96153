"""Where each return (data set × unit × period) stands, its history, and which cells it locks.

A return with no return_state row is a draft. Callers hold the transaction (desktop.store.db.atomic).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

STATES: tuple[str, ...] = ("draft", "submitted", "reviewed", "approved")
STATE_NAMES_ZH = {"draft": "草稿", "submitted": "已提交", "reviewed": "已审核", "approved": "已批准"}


@dataclass(frozen=True)
class ReturnState:
    """One return's state and signatures: 填表人 (submitted_by), 统计负责人 (reviewed_by), 单位负责人 (approved_by)."""

    data_set_id: int
    org_unit_id: int
    period: str
    state: str = "draft"
    submitted_by: str | None = None
    submitted_at: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    approved_by: str | None = None
    approved_at: str | None = None
    contact_phone: str | None = None

    @property
    def state_zh(self) -> str:
        return STATE_NAMES_ZH.get(self.state, self.state)

    @property
    def locked(self) -> bool:
        """Values of a return that has been submitted (and not reopened) can no longer be edited."""
        return self.state != "draft"


@dataclass(frozen=True)
class ReturnEvent:
    id: int
    data_set_id: int
    org_unit_id: int
    period: str
    action: str  # submit / review / approve / reopen
    from_state: str
    to_state: str
    actor: str
    at: str
    reason: str | None


@dataclass(frozen=True)
class LockingReturn:
    """The signed return that holds a cell, so a refusal can name it."""

    data_set_id: int
    data_set_code: str
    data_set_name: str
    state: str


_STATE_COLUMNS = (
    "data_set_id, org_unit_id, period, state, submitted_by, submitted_at, reviewed_by, reviewed_at, "
    "approved_by, approved_at, contact_phone"
)


def get_return_state(
    conn: sqlite3.Connection, data_set_id: int, org_unit_id: int, period: str
) -> ReturnState:
    """The return's state; a return nobody has acted on yet is a draft with no names."""
    row = conn.execute(
        f"SELECT {_STATE_COLUMNS} FROM return_state WHERE data_set_id = ? AND org_unit_id = ? AND period = ?",
        (data_set_id, org_unit_id, period),
    ).fetchone()
    if row is None:
        return ReturnState(data_set_id, org_unit_id, period)
    return ReturnState(**dict(row))


def list_return_states(conn: sqlite3.Connection, data_set_id: int, period: str) -> dict[int, ReturnState]:
    """States of every unit's return of one data set and period that has a row, by org unit id."""
    rows = conn.execute(
        f"SELECT {_STATE_COLUMNS} FROM return_state WHERE data_set_id = ? AND period = ?",
        (data_set_id, period),
    )
    return {r["org_unit_id"]: ReturnState(**dict(r)) for r in rows}


def save_return_state(conn: sqlite3.Connection, state: ReturnState) -> None:
    """Insert or replace the return's row with `state`."""
    conn.execute(
        f"""INSERT INTO return_state ({_STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (data_set_id, org_unit_id, period) DO UPDATE SET
                state = excluded.state, submitted_by = excluded.submitted_by,
                submitted_at = excluded.submitted_at, reviewed_by = excluded.reviewed_by,
                reviewed_at = excluded.reviewed_at, approved_by = excluded.approved_by,
                approved_at = excluded.approved_at, contact_phone = excluded.contact_phone""",
        (
            state.data_set_id,
            state.org_unit_id,
            state.period,
            state.state,
            state.submitted_by,
            state.submitted_at,
            state.reviewed_by,
            state.reviewed_at,
            state.approved_by,
            state.approved_at,
            state.contact_phone,
        ),
    )


def insert_return_event(
    conn: sqlite3.Connection,
    *,
    data_set_id: int,
    org_unit_id: int,
    period: str,
    action: str,
    from_state: str,
    to_state: str,
    actor: str,
    at: str,
    reason: str | None = None,
) -> int:
    cur = conn.execute(
        """INSERT INTO return_event (data_set_id, org_unit_id, period, action, from_state, to_state, actor, at,
                                     reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (data_set_id, org_unit_id, period, action, from_state, to_state, actor, at, reason),
    )
    return int(cur.lastrowid)


def list_return_events(
    conn: sqlite3.Connection, data_set_id: int, org_unit_id: int, period: str
) -> list[ReturnEvent]:
    """The return's workflow history, oldest first."""
    rows = conn.execute(
        """SELECT id, data_set_id, org_unit_id, period, action, from_state, to_state, actor, at, reason
           FROM return_event WHERE data_set_id = ? AND org_unit_id = ? AND period = ? ORDER BY id""",
        (data_set_id, org_unit_id, period),
    )
    return [ReturnEvent(**dict(r)) for r in rows]


def last_actor(conn: sqlite3.Connection, org_unit_id: int, action: str) -> str | None:
    """Who last did `action` (submit/review/approve) for any return of the unit, to prefill a signature."""
    row = conn.execute(
        "SELECT actor FROM return_event WHERE org_unit_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
        (org_unit_id, action),
    ).fetchone()
    return row[0] if row else None


def last_contact_phone(conn: sqlite3.Connection, org_unit_id: int) -> str | None:
    """The 联系电话 given with the unit's most recent submission, to prefill the next one."""
    row = conn.execute(
        """SELECT contact_phone FROM return_state WHERE org_unit_id = ? AND contact_phone IS NOT NULL
           ORDER BY submitted_at DESC LIMIT 1""",
        (org_unit_id,),
    ).fetchone()
    return row[0] if row else None


def locking_return(
    conn: sqlite3.Connection, element_id: int, org_unit_id: int, period: str
) -> LockingReturn | None:
    """The submitted/reviewed/approved return of the unit and period whose form has this element, if any.

    An element can sit on several forms (卫生技术人员 on ZY-01 and ZY-03); a signed return on any of them locks
    the cell, since a change would silently alter what was signed.
    """
    row = conn.execute(
        """SELECT s.id, s.code, s.name, rs.state
           FROM return_state rs
           JOIN data_set s ON s.id = rs.data_set_id
           JOIN data_set_row r ON r.data_set_id = rs.data_set_id AND r.element_id = ?
           WHERE rs.org_unit_id = ? AND rs.period = ? AND rs.state <> 'draft'
           ORDER BY CASE rs.state WHEN 'approved' THEN 0 WHEN 'reviewed' THEN 1 ELSE 2 END
           LIMIT 1""",
        (element_id, org_unit_id, period),
    ).fetchone()
    return LockingReturn(row[0], row[1], row[2], row[3]) if row else None


def set_follow_up(
    conn: sqlite3.Connection,
    *,
    element_id: int,
    period: str,
    org_unit_id: int,
    follow_up: bool,
    user: str,
    at: str,
) -> bool:
    """Set a stored value's 需跟进 flag, with an audit row saying so. False when unchanged or no value is stored."""
    row = conn.execute(
        "SELECT value, comment, follow_up FROM data_value WHERE element_id = ? AND period = ? AND org_unit_id = ?",
        (element_id, period, org_unit_id),
    ).fetchone()
    if row is None or bool(row["follow_up"]) == follow_up:
        return False
    conn.execute(
        "UPDATE data_value SET follow_up = ? WHERE element_id = ? AND period = ? AND org_unit_id = ?",
        (int(follow_up), element_id, period, org_unit_id),
    )
    conn.execute(
        """INSERT INTO audit_log (element_id, period, org_unit_id, action, old_value, new_value, old_comment,
                                  new_comment, changed_by, changed_at, reason)
           VALUES (?, ?, ?, 'update', ?, ?, ?, ?, ?, ?, ?)""",
        (
            element_id,
            period,
            org_unit_id,
            row["value"],
            row["value"],
            row["comment"],
            row["comment"],
            user,
            at,
            "标记为需跟进" if follow_up else "取消需跟进标记",
        ),
    )
    return True
