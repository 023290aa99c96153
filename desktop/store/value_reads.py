"""Reading stored values for a few org units at once (plan monitoring, scorecards).

values.values_for_period reads every unit of an element; monitoring asks the other way round: all elements of
a handful of units (the county, its townships) over a few years, which the (org_unit_id, period) index answers
without touching the other units' rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

# SQLite allows 32 766 parameters; chunks keep each statement small and its plan cached.
_CHUNK = 400


def values_for_units(
    conn: sqlite3.Connection,
    unit_ids: Iterable[int],
    periods: Iterable[str],
    element_ids: Iterable[int] | None = None,
) -> dict[str, dict[tuple[int, int], Any]]:
    """{period: {(element_id, org_unit_id): value}} for the given units and periods (and elements, if given).

    Every period asked for is a key, also when it holds nothing, so a caller can tell "read, empty" from
    "not read yet".
    """
    periods = list(dict.fromkeys(periods))
    result: dict[str, dict[tuple[int, int], Any]] = {p: {} for p in periods}
    units = list(dict.fromkeys(unit_ids))
    if not periods or not units:
        return result
    wanted = None if element_ids is None else set(element_ids)
    period_marks = ", ".join("?" * len(periods))
    for start in range(0, len(units), _CHUNK):
        chunk = units[start : start + _CHUNK]
        rows = conn.execute(
            "SELECT element_id, period, org_unit_id, value FROM data_value "
            f"WHERE org_unit_id IN ({', '.join('?' * len(chunk))}) AND period IN ({period_marks})",
            [*chunk, *periods],
        )
        for element_id, period, unit_id, value in rows:
            if wanted is None or element_id in wanted:
                result[period][(element_id, unit_id)] = value
    return result


def annual_periods_for_units(conn: sqlite3.Connection, unit_ids: Iterable[int]) -> list[int]:
    """The years (as integers) in which any of these units has an annual value stored, ascending.

    Reads the (org_unit_id, period) index only, so asking for the county and its townships stays cheap however
    many values the file holds.
    """
    years: set[int] = set()
    units = list(dict.fromkeys(unit_ids))
    for start in range(0, len(units), _CHUNK):
        chunk = units[start : start + _CHUNK]
        rows = conn.execute(
            f"SELECT DISTINCT period FROM data_value WHERE org_unit_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        years.update(int(r[0]) for r in rows if len(r[0]) == 4 and r[0].isdigit())
    return sorted(years)
