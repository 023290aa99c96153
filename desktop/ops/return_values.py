"""Filling the two data layouts of a return from stored values: ``rows`` (one unit, indicators down the side)
and ``units`` (the filing unit and its child units down the side, measures across).

A value is looked up the way the rest of the program reads one (desktop.ops.aggregate.UnitTree): a unit's own
stored value wins, and only a unit without one gets the roll-up of its children — never both added together.
Formulas run on the unrounded values of the same column (rows layout) or the same row (units layout), so a
rate is computed from the printed counts, not from other rounded rates.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop.core.formulas import Formula, compute_indicator
from desktop.core.periods import Period
from desktop.io.templates import Column, ReturnTemplate, Source
from desktop.ops.aggregate import UnitTree
from desktop.store import elements, indicators, orgunits, values


class ReturnError(ValueError):
    """A return that cannot be filled, exported or imported; .message is Chinese and says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CellRef:
    """The stored value behind a cell: what an imported workbook may change."""

    element_id: int
    element_code: str
    element_name: str
    org_unit_id: int
    org_unit_code: str
    period: str


@dataclass(frozen=True)
class FilledCell:
    value: str | int | float | None = None
    decimals: int | None = None
    ref: CellRef | None = None  # set for a stored element in the return's own period
    own: bool = True  # False when the value is the sum of child units
    coverage: str | None = None  # "8 个单位中 7 个已报" for a partial roll-up

    @property
    def number(self) -> float | None:
        if isinstance(self.value, int | float) and not isinstance(self.value, bool):
            return float(self.value)
        return None


@dataclass(frozen=True)
class FilledRow:
    code: str
    name: str
    cells: tuple[FilledCell, ...]
    level: int = 0
    total: bool = False
    unit_id: int | None = None


class FillContext:
    """What one fill needs, read once: the org tree, the elements and indicators by code, value maps."""

    def __init__(self, conn: sqlite3.Connection, template: ReturnTemplate) -> None:
        self.conn = conn
        self.template = template
        self.tree = UnitTree.load(conn)
        self.elements = {e.code: e for e in elements.list_elements(conn)}
        self.indicators = {i.code: i for i in indicators.list_indicators(conn)}
        self._values: dict[str, dict[tuple[int, int], Any]] = {}
        self._parsed: dict[str, tuple[Formula, Formula | None]] = {}

    def element(self, code: str, where: str) -> elements.DataElement:
        element = self.elements.get(code)
        if element is None:
            raise ReturnError(
                f"报表模板“{self.template.path.name}”的 {where} 引用了数据项 {code}，但数据库中没有这个数据项"
            )
        return element

    def indicator_parts(self, code: str, where: str) -> tuple[indicators.Indicator, Formula, Formula | None]:
        ind = self.indicators.get(code)
        if ind is None or not ind.numerator:
            problem = "数据库中没有这个指标" if ind is None else "这个指标没有计算公式"
            raise ReturnError(f"报表模板“{self.template.path.name}”的 {where} 引用了指标 {code}，但{problem}")
        if code not in self._parsed:
            num = Formula.parse(ind.numerator)
            den = Formula.parse(ind.denominator) if ind.denominator else None
            self._parsed[code] = (num, den)
        num, den = self._parsed[code]
        return ind, num, den

    def element_ids_for(self, source: Source, where: str) -> list[int]:
        if source.kind in ("element", "rollup"):
            return [self.element(source.ref, where).id]
        if source.kind == "indicator":
            _ind, num, den = self.indicator_parts(source.ref, where)
            codes = num.codes | (den.codes if den else frozenset())
            return [self.element(c, f"{where}（指标 {source.ref}）").id for c in sorted(codes)]
        return []

    def element_ids_for_indicator(self, code: str) -> list[int]:
        """Ids of the elements an indicator's formulas use (none for an indicator without a formula)."""
        ind = self.indicators.get(code)
        if ind is None or not ind.numerator:
            return []
        return self.element_ids_for(Source("indicator", code), f"指标 {code}")

    def values_for(self, period: str, element_ids: list[int]) -> dict[tuple[int, int], Any]:
        if period not in self._values:
            self._values[period] = values.values_for_period(self.conn, period, element_ids)
        return self._values[period]

    def resolve(self, vals: Mapping[tuple[int, int], Any], code: str, unit_id: int):
        element = self.elements[code]
        return self.tree.resolve(vals, element.id, unit_id, element.aggregation)

    def cell(
        self,
        source: Source,
        vals: Mapping[tuple[int, int], Any],
        unit: orgunits.OrgUnit,
        period: str,
        importable: bool,
        decimals: int | None,
        formula_value: Callable[[str], float | None],
    ) -> FilledCell:
        """One value of one source for one unit and period."""
        if source.kind == "formula":
            assert source.formula is not None
            inputs = {name: formula_value(target) for name, target in source.refs.items()}
            return FilledCell(source.formula.evaluate(inputs), 2 if decimals is None else decimals)
        if source.kind == "indicator":
            ind, num, den = self.indicator_parts(source.ref, "")
            codes = num.codes | (den.codes if den else frozenset())
            inputs = {c: self.resolve(vals, c, unit.id).value for c in codes}
            value = compute_indicator(num, den, ind.factor, inputs)
            return FilledCell(value, ind.decimals if decimals is None else decimals)
        element = self.elements[source.ref]
        places = element.decimals if decimals is None else decimals
        ref = (
            CellRef(element.id, element.code, element.name, unit.id, unit.code, period)
            if importable
            else None
        )
        if source.kind == "element":
            own = vals.get((element.id, unit.id))
            if isinstance(own, float) and not math.isfinite(own):
                own = None
            return FilledCell(own, places if not isinstance(own, str) else None, ref)
        resolved = self.tree.resolve(vals, element.id, unit.id, element.aggregation)
        coverage = f"{resolved.expected} 个单位中 {resolved.reported} 个已报" if resolved.partial else None
        value: float | int | None = resolved.value
        if value is not None and element.value_type == "integer" and float(value).is_integer():
            value = int(value)
        return FilledCell(value, places, ref, resolved.own, coverage)


def _column_period(column: Column, period: Period) -> str:
    if column.period == "last_year":
        return period.same_period_last_year().code
    if column.period == "year":
        return Period("year", period.year).code
    return period.code


def _change_pct(current: FilledCell, base: FilledCell, decimals: int | None) -> FilledCell:
    a, b = current.number, base.number
    if a is None or b is None or b == 0:
        return FilledCell(None, decimals)
    return FilledCell((a - b) / abs(b) * 100, 2 if decimals is None else decimals)


def _finish_row(template: ReturnTemplate, cells: dict[str, FilledCell], fields: dict[str, Any]) -> tuple:
    result = []
    for column in template.columns:
        if column.kind == "field":
            value = fields.get(column.field or "")
            result.append(FilledCell(value))
        elif column.kind == "value":
            result.append(cells[column.key])
        else:
            current, base = column.of or ("", "")
            result.append(_change_pct(cells[current], cells[base], column.decimals))
    return tuple(result)


def fill_rows_layout(
    conn: sqlite3.Connection, template: ReturnTemplate, unit: orgunits.OrgUnit, period: Period
) -> list[FilledRow]:
    """The ``rows`` layout: one unit's return, each row from its element, roll-up, indicator or formula."""
    ctx = FillContext(conn, template)
    ids: list[int] = []
    for i, row in enumerate(template.rows):
        ids += ctx.element_ids_for(row.source, f"rows[{i + 1}]")
    value_columns = [c for c in template.columns if c.kind == "value"]
    rows_by_code = {row.code: row for row in template.rows}
    by_column: dict[str, dict[str, FilledCell]] = {}
    for column in value_columns:
        period_code = _column_period(column, period)
        vals = ctx.values_for(period_code, ids)
        importable = column.period == "current"
        done: dict[str, FilledCell] = {}

        def compute(
            code: str, vals=vals, period_code=period_code, importable=importable, done=done
        ) -> FilledCell:
            if code not in done:
                row = rows_by_code[code]
                done[code] = ctx.cell(
                    row.source,
                    vals,
                    unit,
                    period_code,
                    importable,
                    row.decimals,
                    lambda target: compute(target).number,
                )
            return done[code]

        for row in template.rows:
            compute(row.code)
        by_column[column.key] = done
    result = []
    for row in template.rows:
        cells = {key: done[row.code] for key, done in by_column.items()}
        unit_text = row.unit
        if unit_text is None and row.source.stored:
            unit_text = ctx.elements[row.source.ref].unit
        elif unit_text is None and row.source.kind == "indicator":
            unit_text = ctx.indicators[row.source.ref].unit
        indent = "\u3000" * row.level
        fields = {"code": row.code, "name": indent + row.name, "unit": unit_text or ""}
        result.append(FilledRow(row.code, row.name, _finish_row(template, cells, fields), row.level))
    return result


def unit_row_code(unit: orgunits.OrgUnit) -> str:
    """The code printed beside a unit: 行政区划代码 for a region, else its 统一社会信用代码, else its own code."""
    if unit.level <= 2 and unit.admin_code:
        return unit.admin_code
    return unit.uscc or unit.code


def fill_units_layout(
    conn: sqlite3.Connection, template: ReturnTemplate, unit: orgunits.OrgUnit, period: Period
) -> list[FilledRow]:
    """The ``units`` layout: the filing unit (合计) and each of its child units, one row each."""
    ctx = FillContext(conn, template)
    children = [ctx.tree.units[i] for i in ctx.tree.children.get(unit.id, [])]
    if template.child_types:
        children = [c for c in children if c.unit_type in template.child_types]
    children.sort(key=lambda u: (u.sort_order, u.code))
    value_columns = [c for c in template.columns if c.kind == "value"]
    ids: list[int] = []
    for i, column in enumerate(template.columns):
        if column.source is not None:
            ids += ctx.element_ids_for(column.source, f"columns[{i + 1}]")
    result = []
    for row_unit, total in [(unit, True), *((c, False) for c in children)]:
        done: dict[str, FilledCell] = {}
        columns = {c.key: c for c in value_columns}

        def compute(key: str, row_unit=row_unit, done=done, columns=columns) -> FilledCell:
            if key not in done:
                column = columns[key]
                assert column.source is not None
                period_code = _column_period(column, period)
                done[key] = ctx.cell(
                    column.source,
                    ctx.values_for(period_code, ids),
                    row_unit,
                    period_code,
                    column.period == "current",
                    column.decimals,
                    lambda target: compute(target).number,
                )
            return done[key]

        for column in value_columns:
            compute(column.key)
        name = template.total_label if total else row_unit.name
        code = unit_row_code(row_unit)
        fields = {"unit_name": name, "unit_code": code}
        result.append(
            FilledRow(code, name, _finish_row(template, done, fields), 0, total=total, unit_id=row_unit.id)
        )
    return result


def check_template_sources(conn: sqlite3.Connection, template: ReturnTemplate) -> list[str]:
    """Problems of a template against this database (unknown elements or indicators), as sentences."""
    ctx = FillContext(conn, template)
    problems = []
    sources = [(f"rows[{i + 1}]", r.source) for i, r in enumerate(template.rows)]
    sources += [(f"columns[{i + 1}]", c.source) for i, c in enumerate(template.columns) if c.source]
    for where, source in sources:
        try:
            ctx.element_ids_for(source, where)
        except ReturnError as exc:
            problems.append(exc.message)
    return problems
