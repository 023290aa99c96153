"""Reading what the entry screens show: one unit's form for a period (with last period's and last year's values,
checks and state), or one data set for all the units a filer files for (代报), and the choices of the top bar.

Read-only; each call is a handful of indexed queries (milliseconds on the demo county), so the screens call
them on the GUI thread after every edit.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date

from desktop.core.checks import CURRENT, LAST_YEAR, PREVIOUS
from desktop.core.periods import Period, PeriodError, current_open_period, parse_period
from desktop.ops.checks import CheckResult, ReturnKey, evaluate_return, resolve_return
from desktop.store import elements, indicators, orgunits, values, workflow
from desktop.store.workflow import ReturnState

# How far back the period chooser reaches when no older data are stored.
_WINDOW = {"year": 6, "quarter": 12, "month": 24, "mch_year": 6}
_SINGLE_CODE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*")


@dataclass(frozen=True)
class RatePair:
    """A rate the form's own rows make: numerator / denominator × factor (from the indicator table)."""

    indicator_code: str
    name: str
    unit: str | None
    factor: float
    decimals: int
    numerator: str  # element code
    denominator: str  # element code

    def compute(self, numerator: object, denominator: object) -> float | None:
        """The rate, or None when either part is missing or the denominator is 0."""
        if not _is_number(numerator) or not _is_number(denominator) or float(denominator) == 0:  # type: ignore[arg-type]
            return None
        return float(numerator) / float(denominator) * self.factor  # type: ignore[arg-type]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class FormData:
    """One return as the form entry screen shows it."""

    key: ReturnKey
    rows: list[elements.DataSetRow]
    elements: dict[int, elements.DataElement]
    current: dict[int, values.StoredValue]
    previous: dict[int, object]
    last_year: dict[int, object]
    previous_period: Period | None
    last_year_period: Period | None
    state: ReturnState
    checks: list[CheckResult]
    rates: list[RatePair]


@dataclass(frozen=True)
class GridData:
    """One data set for the units a filer files for (代报), as the grid shows it."""

    data_set: elements.DataSet
    period: Period
    filer: orgunits.OrgUnit
    units: list[orgunits.OrgUnit]
    rows: list[elements.DataSetRow]  # rows with an element: the grid's columns
    elements: dict[int, elements.DataElement]
    cells: dict[tuple[int, int], values.StoredValue]  # (element_id, org_unit_id)
    states: dict[int, ReturnState]
    checks: dict[int, list[CheckResult]]


def _neighbour(period: Period, which: str) -> Period | None:
    try:
        return period.previous() if which == PREVIOUS else period.same_period_last_year()
    except PeriodError:
        return None


def _element_map(
    conn: sqlite3.Connection, rows: list[elements.DataSetRow]
) -> dict[int, elements.DataElement]:
    result = {}
    for row in rows:
        if row.element_id is not None and row.element_id not in result:
            element = elements.get_element(conn, row.element_id)
            if element is not None:
                result[row.element_id] = element
    return result


def rate_pairs(conn: sqlite3.Connection, rows: list[elements.DataSetRow]) -> list[RatePair]:
    """Indicators computed from two single elements that are both on the form (管理率 = 已管理 / 患者数 …)."""
    on_form = {r.element_code for r in rows if r.element_code}
    pairs = []
    for ind in indicators.list_indicators(conn):
        num = _SINGLE_CODE.fullmatch(ind.numerator or "")
        den = _SINGLE_CODE.fullmatch(ind.denominator or "")
        if num and den and num[1] in on_form and den[1] in on_form:
            pairs.append(RatePair(ind.code, ind.name, ind.unit, ind.factor, ind.decimals, num[1], den[1]))
    return pairs


def load_form(conn: sqlite3.Connection, *, data_set_code: str, org_unit_code: str, period: str) -> FormData:
    """Everything the form entry screen shows for one return. Raises CheckError for unknown codes."""
    key = resolve_return(conn, data_set_code, org_unit_code, period)
    rows = elements.list_data_set_rows(conn, key.data_set.id)
    element_map = _element_map(conn, rows)
    current = {v.element_id: v for v in values.list_values(conn, key.unit.id, key.period_code)}
    shifted = {which: _neighbour(key.period, which) for which in (PREVIOUS, LAST_YEAR)}
    other = {
        which: ({v.element_id: v.value for v in values.list_values(conn, key.unit.id, p.code)} if p else {})
        for which, p in shifted.items()
    }
    stored = {CURRENT: {e: v.value for e, v in current.items()}, **other}
    return FormData(
        key=key,
        rows=rows,
        elements=element_map,
        current=current,
        previous=other[PREVIOUS],
        last_year=other[LAST_YEAR],
        previous_period=shifted[PREVIOUS],
        last_year_period=shifted[LAST_YEAR],
        state=workflow.get_return_state(conn, key.data_set.id, key.unit.id, key.period_code),
        checks=evaluate_return(conn, key, rows=rows, stored=stored),
        rates=rate_pairs(conn, rows),
    )


def filed_units(
    conn: sqlite3.Connection, filer_id: int, data_set_id: int | None = None
) -> list[orgunits.OrgUnit]:
    """Units the filer files for (代报), optionally only those whose type fills the data set."""
    units = orgunits.list_filed_by(conn, filer_id)
    if data_set_id is None:
        return units
    types = set(elements.list_data_set_unit_types(conn, data_set_id))
    return [u for u in units if u.unit_type in types]


def load_proxy_grid(
    conn: sqlite3.Connection, *, data_set_code: str, filer_code: str, period: str
) -> GridData:
    """The 代报 grid: one data set and period for every unit the filer files for. Raises CheckError."""
    key = resolve_return(conn, data_set_code, filer_code, period)
    rows = [r for r in elements.list_data_set_rows(conn, key.data_set.id) if r.element_id is not None]
    units = filed_units(conn, key.unit.id, key.data_set.id)
    element_ids = [r.element_id for r in rows if r.element_id is not None]
    cells: dict[tuple[int, int], values.StoredValue] = {}
    checks: dict[int, list[CheckResult]] = {}
    for unit in units:
        unit_key = ReturnKey(key.data_set, unit, key.period)
        current = {v.element_id: v for v in values.list_values(conn, unit.id, key.period_code)}
        cells.update({(e, unit.id): v for e, v in current.items() if e in element_ids})
        checks[unit.id] = evaluate_return(conn, unit_key, rows=rows)
    return GridData(
        data_set=key.data_set,
        period=key.period,
        filer=key.unit,
        units=units,
        rows=rows,
        elements=_element_map(conn, rows),
        cells=cells,
        states=workflow.list_return_states(conn, key.data_set.id, key.period_code),
        checks=checks,
    )


# --- choices of the top bar ----------------------------------------------------------------------------


def units_for_data_set(conn: sqlite3.Connection, data_set_id: int) -> list[orgunits.OrgUnit]:
    """Units whose type fills the data set, in tree order."""
    types = set(elements.list_data_set_unit_types(conn, data_set_id))
    return [u for u in orgunits.list_org_units(conn) if u.unit_type in types]


def data_sets_for_unit(conn: sqlite3.Connection, unit_type: str) -> list[elements.DataSet]:
    """Data sets a unit of this type fills."""
    return [
        ds
        for ds in elements.list_data_sets(conn)
        if unit_type in elements.list_data_set_unit_types(conn, ds.id)
    ]


def filers(conn: sqlite3.Connection) -> list[orgunits.OrgUnit]:
    """Units that file for at least one other unit (代报), in tree order."""
    ids = {
        r[0] for r in conn.execute("SELECT DISTINCT filed_by_id FROM org_unit WHERE filed_by_id IS NOT NULL")
    }
    return [u for u in orgunits.list_org_units(conn) if u.id in ids]


def allowed_periods(
    conn: sqlite3.Connection, data_set: elements.DataSet, today: date | None = None
) -> list[Period]:
    """Periods a return of this data set can be filled for, newest first: up to the current open period
    (core.periods.current_open_period), back as far as stored data or a default window reaches."""
    latest = current_open_period(data_set.period_type, today or date.today())
    found = {latest}
    step = latest
    for _ in range(_WINDOW[data_set.period_type] - 1):
        step = _neighbour(step, PREVIOUS) or step
        found.add(step)
    stored = conn.execute(
        """SELECT DISTINCT v.period FROM data_value v
           JOIN data_set_row r ON r.element_id = v.element_id WHERE r.data_set_id = ?""",
        (data_set.id,),
    )
    for (code,) in stored:
        try:
            period = parse_period(code, data_set.period_type)
        except PeriodError:
            continue  # a value of another period type (the same element on a quarterly form)
        if period <= latest:
            found.add(period)
    return sorted(found, reverse=True)


@dataclass(frozen=True)
class PopulationBase:
    """A population an estimated denominator can be based on, with the unit's value for the period."""

    element_code: str
    name: str
    value: float | None


def population_bases(conn: sqlite3.Connection, *, org_unit_code: str, period: str) -> list[PopulationBase]:
    """Population elements (计量单位 人, name with 人口) and the unit's stored values, for the estimate editor."""
    unit = orgunits.get_org_unit_by_code(conn, org_unit_code)
    stored = {v.element_id: v.value for v in values.list_values(conn, unit.id, period)} if unit else {}
    return [
        PopulationBase(e.code, e.name, float(stored[e.id]) if _is_number(stored.get(e.id)) else None)
        for e in elements.list_elements(conn)
        if e.unit == "人" and "人口" in e.name
    ]
