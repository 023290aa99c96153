"""Logic-check rules of forms (check_rule) and the 审核说明 written for failed ones (check_explanation).

Callers hold the transaction (desktop.store.db.atomic); these functions never commit.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class CheckRule:
    id: int
    data_set_id: int
    code: str
    expression: str
    message: str
    severity: str  # 'blocking' | 'explain'
    source: str | None
    sort_order: int


@dataclass(frozen=True)
class Explanation:
    data_set_id: int
    org_unit_id: int
    period: str
    rule_code: str
    text: str
    explained_by: str
    explained_at: str


_RULE_COLUMNS = "id, data_set_id, code, expression, message, severity, source, sort_order"
_EXPLANATION_COLUMNS = "data_set_id, org_unit_id, period, rule_code, text, explained_by, explained_at"


def list_check_rules(conn: sqlite3.Connection, data_set_id: int) -> list[CheckRule]:
    """The form's rules in their printed order."""
    rows = conn.execute(
        f"SELECT {_RULE_COLUMNS} FROM check_rule WHERE data_set_id = ? ORDER BY sort_order, code",
        (data_set_id,),
    )
    return [CheckRule(**dict(r)) for r in rows]


def get_check_rule(conn: sqlite3.Connection, data_set_id: int, code: str) -> CheckRule | None:
    row = conn.execute(
        f"SELECT {_RULE_COLUMNS} FROM check_rule WHERE data_set_id = ? AND code = ?", (data_set_id, code)
    ).fetchone()
    return CheckRule(**dict(row)) if row else None


def count_check_rules(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT count(*) FROM check_rule").fetchone()[0])


def insert_check_rule(
    conn: sqlite3.Connection,
    *,
    data_set_id: int,
    code: str,
    expression: str,
    message: str,
    severity: str,
    source: str | None = None,
    sort_order: int = 0,
) -> int:
    """Insert one rule and return its id (the caller has parsed the expression against the form)."""
    cur = conn.execute(
        """INSERT INTO check_rule (data_set_id, code, expression, message, severity, source, sort_order)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (data_set_id, code, expression, message, severity, source, sort_order),
    )
    return int(cur.lastrowid)


def delete_check_rules(conn: sqlite3.Connection, data_set_id: int) -> int:
    """Remove a form's rules (before loading a new edition); explanations are kept, keyed by rule code."""
    return conn.execute("DELETE FROM check_rule WHERE data_set_id = ?", (data_set_id,)).rowcount


def list_explanations(
    conn: sqlite3.Connection, data_set_id: int, org_unit_id: int, period: str
) -> dict[str, Explanation]:
    """The 审核说明 of one return, by rule code."""
    rows = conn.execute(
        f"""SELECT {_EXPLANATION_COLUMNS} FROM check_explanation
            WHERE data_set_id = ? AND org_unit_id = ? AND period = ?""",
        (data_set_id, org_unit_id, period),
    )
    return {r["rule_code"]: Explanation(**dict(r)) for r in rows}


def set_explanation(
    conn: sqlite3.Connection,
    *,
    data_set_id: int,
    org_unit_id: int,
    period: str,
    rule_code: str,
    text: str | None,
    user: str,
    at: str,
) -> bool:
    """Write (or, for empty text, remove) one 审核说明. Returns True when something changed."""
    old = conn.execute(
        """SELECT text FROM check_explanation
           WHERE data_set_id = ? AND org_unit_id = ? AND period = ? AND rule_code = ?""",
        (data_set_id, org_unit_id, period, rule_code),
    ).fetchone()
    if not text or not text.strip():
        if old is None:
            return False
        conn.execute(
            """DELETE FROM check_explanation
               WHERE data_set_id = ? AND org_unit_id = ? AND period = ? AND rule_code = ?""",
            (data_set_id, org_unit_id, period, rule_code),
        )
        return True
    if old is not None and old[0] == text:
        return False
    conn.execute(
        f"""INSERT INTO check_explanation ({_EXPLANATION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (data_set_id, org_unit_id, period, rule_code) DO UPDATE SET
                text = excluded.text, explained_by = excluded.explained_by, explained_at = excluded.explained_at""",
        (data_set_id, org_unit_id, period, rule_code, text, user, at),
    )
    return True
