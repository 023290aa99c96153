"""An indicator's value for an org unit and a year, computed from the stored data elements.

An indicator is numerator / denominator × factor over element codes (desktop.core.formulas), or a single
element entered directly (人均预期寿命, entered by the county). Values are stored at the level that reports
them, so a unit's value for an element is its own stored value when it has one — never its own plus its
children's (ops.aggregate's rule). Where a unit has no value of its own, its children's are summed and the rate
is recomputed from the sums: numerators and denominators are added, rates are never averaged. Like
formulas.rollup, a child that lacks any element the formula needs is left out of the numerator *and* the
denominator, and the result says how many units reported. Density indicators take the resident population of
the same unit and year, because the population is just another element of the formula.

Missing data stays missing: an element with no value anywhere below a unit gives no indicator value, never 0.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from desktop.core.formulas import Formula, FormulaError, compute_indicator
from desktop.ops.aggregate import UnitTree
from desktop.store import elements, indicators
from desktop.store.value_reads import values_for_units

# Units of a stand-alone count ("医疗卫生机构 620 个"): TolaData's ±15 % rule applies to these.
COUNT_UNITS = frozenset(
    ("个", "人", "张", "家", "所", "名", "床", "台", "辆", "处", "项", "例", "次", "人次", "户", "件", "份")
)


@dataclass(frozen=True)
class IndicatorSpec:
    """An indicator ready to compute: parsed formulas, the element ids they need and how those roll up."""

    id: int
    code: str
    name: str
    unit: str | None
    direction: str
    numerator: Formula | None
    denominator: Formula | None
    factor: float
    decimals: int
    element_ids: Mapping[str, int] = field(default_factory=dict)
    aggregation: Mapping[str, str] = field(default_factory=dict)
    problem: str | None = None  # why it cannot be computed: no formula, a bad formula, an unknown element
    is_count: bool = False
    is_yesno: bool = False

    @cached_property
    def codes(self) -> tuple[str, ...]:
        found = set(self.numerator.codes) if self.numerator else set()
        if self.denominator is not None:
            found |= self.denominator.codes
        return tuple(sorted(found))

    @property
    def computable(self) -> bool:
        return self.numerator is not None and self.problem is None


@dataclass(frozen=True)
class UnitValue:
    """An indicator's value at one unit and year, and how many of the units below reported it."""

    value: float | None
    reported: int
    expected: int
    own: bool  # every element came from the unit's own stored values

    @property
    def partial(self) -> bool:
        return self.value is not None and not self.own and self.reported < self.expected

    @property
    def coverage_zh(self) -> str:
        """'8 个单位中 6 个已报' — said beside a partial roll-up so nobody takes it for the whole area."""
        return f"{self.expected} 个单位中 {self.reported} 个已报"


NO_VALUE = UnitValue(None, 0, 1, False)


def _spec(indicator: indicators.Indicator, by_code: Mapping[str, elements.DataElement]) -> IndicatorSpec:
    base = {
        "id": indicator.id,
        "code": indicator.code,
        "name": indicator.name,
        "unit": indicator.unit,
        "direction": indicator.direction,
        "factor": float(indicator.factor),
        "decimals": int(indicator.decimals),
    }
    if not indicator.numerator:
        return IndicatorSpec(
            **base, numerator=None, denominator=None, problem="该指标尚未关联数据项（没有取数公式）"
        )
    try:
        numerator = Formula.parse(indicator.numerator)
        denominator = Formula.parse(indicator.denominator) if indicator.denominator else None
    except FormulaError as exc:
        return IndicatorSpec(
            **base, numerator=None, denominator=None, problem=f"指标“{indicator.name}”的{exc.message}"
        )
    codes = set(numerator.codes) | (denominator.codes if denominator else set())
    unknown = sorted(c for c in codes if c not in by_code)
    problem = f"取数公式引用了不存在的数据项：{'、'.join(unknown)}" if unknown else None
    direct = denominator is None and len(codes) == 1
    only = by_code.get(next(iter(codes))) if direct else None
    return IndicatorSpec(
        **base,
        numerator=numerator,
        denominator=denominator,
        element_ids={c: by_code[c].id for c in codes if c in by_code},
        aggregation={c: by_code[c].aggregation for c in codes if c in by_code},
        problem=problem,
        is_count=denominator is None and (indicator.unit or "") in COUNT_UNITS,
        is_yesno=only is not None and only.value_type == "yesno",
    )


def load_indicator_specs(
    conn: sqlite3.Connection, indicator_ids: Iterable[int] | None = None
) -> dict[int, IndicatorSpec]:
    """IndicatorSpec by indicator id, for the given ids (default: every indicator)."""
    wanted = None if indicator_ids is None else set(indicator_ids)
    by_code = {e.code: e for e in elements.list_elements(conn)}
    return {
        i.id: _spec(i, by_code) for i in indicators.list_indicators(conn) if wanted is None or i.id in wanted
    }


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


class IndicatorValues:
    """Computes indicators at units and years, reading each (unit, year) of values from the file only once.

    Built per computation (a monitoring screen, a scorecard): it caches what it has read and never sees later
    writes. Values are read unit by unit, so a county with its own totals costs one small query, and the units
    below are read only where an own value is missing.
    """

    def __init__(self, conn: sqlite3.Connection, tree: UnitTree, specs: Iterable[IndicatorSpec]) -> None:
        self._conn = conn
        self.tree = tree
        self._element_ids = {eid for s in specs for eid in s.element_ids.values()}
        self._values: dict[str, dict[tuple[int, int], object]] = {}
        self._loaded: set[tuple[int, str]] = set()

    def preload(self, unit_ids: Iterable[int], years: Iterable[int]) -> None:
        """Read these units' values for these years in one go (what a scorecard is about to ask for)."""
        self._ensure(list(unit_ids), [str(y) for y in years])

    def _ensure(self, unit_ids: list[int], periods: list[str]) -> None:
        if len(unit_ids) == 1 and len(periods) == 1 and (unit_ids[0], periods[0]) in self._loaded:
            return  # the common case, asked thousands of times by a scorecard: answer it without building sets
        todo_units = {u for u in unit_ids for p in periods if (u, p) not in self._loaded}
        if not todo_units or not self._element_ids:
            self._loaded.update((u, p) for u in unit_ids for p in periods)
            return
        todo_periods = [p for p in periods if any((u, p) not in self._loaded for u in todo_units)]
        read = values_for_units(self._conn, sorted(todo_units), todo_periods, self._element_ids)
        for period, cells in read.items():
            self._values.setdefault(period, {}).update(cells)
        self._loaded.update((u, p) for u in todo_units for p in todo_periods)

    def _codes_at(
        self, spec: IndicatorSpec, unit_id: int, codes: tuple[str, ...], period: str
    ) -> tuple[dict[str, float], int, int, bool]:
        """(values found, units reported, units expected, all own) for codes at unit_id in period."""
        self._ensure([unit_id], [period])
        cells = self._values.get(period, {})
        found: dict[str, float] = {}
        for code in codes:
            number = _number(cells.get((spec.element_ids[code], unit_id)))
            if number is not None:
                found[code] = number
        missing = tuple(c for c in codes if c not in found)
        if not missing:
            return found, 1, 1, True
        kids = self.tree.children.get(unit_id, [])
        if not kids or any(spec.aggregation.get(c) == "none" for c in missing):
            return found, 0, 1, False
        self._ensure(kids, [period])
        parts = [self._codes_at(spec, kid, missing, period) for kid in kids]
        complete = [p for p in parts if len(p[0]) == len(missing)]
        expected = sum(p[2] for p in parts)
        reported = sum(p[1] for p in complete)
        for code in missing if complete else ():
            numbers = [p[0][code] for p in complete]
            # 'average' is for elements that are themselves rates entered per unit; counts are summed.
            average = spec.aggregation.get(code) == "average"
            found[code] = sum(numbers) / len(numbers) if average else sum(numbers)
        return found, reported, expected, False

    def value(self, spec: IndicatorSpec, unit_id: int, year: int) -> UnitValue:
        """The indicator at unit_id in year (annual period), with how many units reported it."""
        if not spec.computable or unit_id not in self.tree.units:
            return NO_VALUE
        assert spec.numerator is not None
        period = str(year)
        if (unit_id, period) in self._loaded:
            # Fast path (a scorecard asks this thousands of times): every element is the unit's own value.
            cells, ids = self._values.get(period, {}), spec.element_ids
            own_values = {code: _number(cells.get((ids[code], unit_id))) for code in spec.codes}
            if None not in own_values.values():
                value = compute_indicator(spec.numerator, spec.denominator, spec.factor, own_values)
                return NO_VALUE if value is None else UnitValue(value, 1, 1, True)
        found, reported, expected, own = self._codes_at(spec, unit_id, spec.codes, period)
        value = compute_indicator(spec.numerator, spec.denominator, spec.factor, found)
        if value is None:
            return UnitValue(None, 0, expected, False)
        return UnitValue(value, reported, expected, own)

    def series(self, spec: IndicatorSpec, unit_id: int, years: Iterable[int]) -> dict[int, UnitValue]:
        """{year: UnitValue} for the years that have a value (years without one are left out)."""
        years = list(years)
        periods = [str(y) for y in years]
        if spec.computable and any((unit_id, p) not in self._loaded for p in periods):
            self._ensure([unit_id], periods)
        result = {}
        for year in years:
            found = self.value(spec, unit_id, year)
            if found.value is not None:
                result[year] = found
        return result
