"""Values read straight from SQL, so the tests do not check the program against itself."""

from __future__ import annotations

from desktop.core.formulas import Formula, compute_indicator


def stored(conn, code: str, unit_code: str, period: str):
    """The value stored for element `code` at the unit and period; None when there is none."""
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


def audit(conn, element_code: str, unit_code: str, period: str) -> list[tuple]:
    """(action, old, new, reason) of a cell's audit rows, oldest first."""
    rows = conn.execute(
        """SELECT a.action, a.old_value, a.new_value, a.reason FROM audit_log a
           JOIN data_element e ON e.id = a.element_id JOIN org_unit o ON o.id = a.org_unit_id
           WHERE e.code = ? AND o.code = ? AND a.period = ? ORDER BY a.id""",
        (element_code, unit_code, period),
    )
    return [tuple(r) for r in rows]


def audit_count(conn) -> int:
    return conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]


def all_values(conn) -> list[tuple]:
    return conn.execute(
        "SELECT element_id, period, org_unit_id, value FROM data_value ORDER BY element_id, period, org_unit_id"
    ).fetchall()
