"""The township scorecard: every township (rows) against a plan's indicators (columns) for one year.

Each cell is the township's own value of the indicator, judged against the plan's headline milestone with the
same rules as the monitoring screen (ops.monitoring.evaluate_row). The plan's targets are county-wide; held
against a township they say which townships pull the county back. Baselines are each township's own value in
the plan's baseline year (the plan's written figure is the county's). A township without a value of its own
is summed from its units, with the coverage said in the cell's reason.

Sized for the budget in PRODUCT.md (≤ 150 ms for every indicator × every township over a million stored
values): the townships' values for the needed years are read in one indexed query, and the units below a
township are read only where the township has no value of its own.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from desktop.core.target_status import STATUS_LABELS_ZH
from desktop.ops.aggregate import UnitTree
from desktop.ops.indicator_values import IndicatorValues, load_indicator_specs
from desktop.ops.monitoring import (
    STATUS_COLOURS,
    STATUS_ORDER,
    HeadlineStatus,
    display_unit,
    headline_target,
    judge_headline,
    load_reference_values,
    load_status_settings,
    plan_and_unit,
    series_years,
    uses_plan_baseline,
)
from desktop.ops.progress import Progress, report
from desktop.store import orgunits, plans

# One township × indicator: the latest value up to the year and its status against the headline target.
ScoreCell = HeadlineStatus


@dataclass(frozen=True)
class ScoreColumn:
    """One indicator column: what the plan says and the headline milestone the cells are judged against."""

    plan_indicator_id: int
    seq: str | None
    domain: str | None
    name: str
    unit: str
    nature: str | None
    decimals: int
    milestone_year: int | None
    milestone_raw: str | None
    area: ScoreCell  # the parent unit (the county) itself, for comparison


@dataclass(frozen=True)
class Scorecard:
    plan: plans.Plan
    parent: orgunits.OrgUnit
    year: int
    units: tuple[orgunits.OrgUnit, ...]
    columns: tuple[ScoreColumn, ...]
    cells: tuple[tuple[ScoreCell, ...], ...]  # cells[unit index][column index]

    def counts_for_unit(self, index: int) -> dict[str, int]:
        """Statuses of one township's cells, worst first, zeros included."""
        found = Counter(c.status for c in self.cells[index])
        return {s: found.get(s, 0) for s in STATUS_ORDER}


def scorecard_units(tree: UnitTree, parent_id: int) -> list[orgunits.OrgUnit]:
    """The rows under parent: its children at the highest level among them (the county's townships and
    streets, not the county hospitals beside them), in tree order."""
    kids = [tree.units[k] for k in tree.children.get(parent_id, [])]
    if not kids:
        return []
    top = min(k.level for k in kids)
    return [k for k in kids if k.level == top]


def _years_read(plan: plans.Plan, row: plans.PlanIndicator, year: int, span: list[int]) -> set[int]:
    """The years a row's headline judgement reads: the year itself, the baseline year and any base year."""
    wanted = {year, row.baseline_year or plan.baseline_year}
    wanted |= {t.base_year for t in row.targets}
    if row.targets and all(t.year < year for t in row.targets):  # all past: judged as of the last one
        wanted.add(row.targets[-1].year)
    return {y for y in wanted if y is not None and y in span}


def compute_scorecard(
    conn: sqlite3.Connection,
    plan_id: int,
    year: int,
    parent_unit_id: int | None = None,
    plan_indicator_ids: list[int] | None = None,
    *,
    progress: Progress | None = None,
) -> Scorecard:
    """The scorecard of plan_id for year: the units below parent_unit_id (default: the county's townships)
    against the plan's rows (default: all, else those in plan_indicator_ids, in the plan's order)."""
    tree = UnitTree.load(conn)
    plan, parent = plan_and_unit(conn, plan_id, parent_unit_id, tree)
    rows = plans.list_plan_indicators(conn, plan.id)
    if plan_indicator_ids is not None:
        wanted = set(plan_indicator_ids)
        rows = [r for r in rows if r.id in wanted]
    units = scorecard_units(tree, parent.id)
    specs = load_indicator_specs(conn, {r.indicator_id for r in rows})
    settings = load_status_settings(conn)
    references = load_reference_values(conn)
    years = series_years(plan, rows, year)
    # The rules read the baseline, the latest value and any base year; a cell missing one of those years
    # falls back to every year (the latest value may be older, the baseline may be the earliest value).
    needed = {r.id: _years_read(plan, r, year, years) for r in rows}
    source = IndicatorValues(conn, tree, specs.values())
    source.preload([parent.id, *(u.id for u in units)], sorted(set().union(*needed.values())))
    report(progress, 0.05, "读取数据")

    def judge(row: plans.PlanIndicator, unit_id: int, own_area: bool) -> ScoreCell:
        spec = specs[row.indicator_id]
        series = source.series(spec, unit_id, needed[row.id])
        if len(series) < len(needed[row.id]):
            series = source.series(spec, unit_id, years)
        return judge_headline(
            row,
            spec,
            series,
            year,
            plan_baseline_year=plan.baseline_year,
            use_plan_baseline=own_area,
            settings=settings,
            references=references,
        )

    own_area = uses_plan_baseline(plan, parent)
    columns = []
    for row in rows:
        headline = headline_target(row, year)
        columns.append(
            ScoreColumn(
                plan_indicator_id=row.id,
                seq=row.seq,
                domain=row.domain,
                name=row.name_as_written,
                unit=display_unit(row.unit_as_written or specs[row.indicator_id].unit),
                nature=row.nature,
                decimals=specs[row.indicator_id].decimals,
                milestone_year=headline.year if headline else None,
                milestone_raw=headline.raw if headline else None,
                area=judge(row, parent.id, own_area),
            )
        )
    cells = []
    for n, unit in enumerate(units):
        if progress is not None:
            progress.step(n, len(units), f"计算“{unit.name}”")
        cells.append(tuple(judge(row, unit.id, False) for row in rows))
    report(progress, 1.0, "完成")
    return Scorecard(
        plan=plan, parent=parent, year=year, units=tuple(units), columns=tuple(columns), cells=tuple(cells)
    )


def export_scorecard(scorecard: Scorecard, path: Path | str) -> Path:
    """Write the scorecard as an xlsx workbook (values with status colours, a legend, the reasons as a sheet)."""
    from desktop.io.scorecard_xlsx import ScorecardSheet, write_scorecard_xlsx

    def header(column: ScoreColumn) -> tuple[str, str]:
        unit = f"（{column.unit}）" if column.unit else ""
        target = (
            f"{column.milestone_year}年目标 {column.milestone_raw}" if column.milestone_year else "无目标"
        )
        return f"{column.name}{unit}", target

    def cell(c: ScoreCell, decimals: int) -> tuple[float | None, str, str, str]:
        return (
            round(c.value, decimals) if c.value is not None else None,
            c.status_label,
            STATUS_COLOURS[c.status][0],
            c.reason,
        )

    sheet = ScorecardSheet(
        title=f"{scorecard.plan.title} — 乡镇（街道）进展记分卡",
        subtitle=f"{scorecard.parent.name}　{scorecard.year}年　（单元格颜色表示对照规划目标的进展状态）",
        headers=[header(c) for c in scorecard.columns],
        number_formats=[
            "#,##0" if c.decimals == 0 else "#,##0." + "0" * c.decimals for c in scorecard.columns
        ],
        area_name=f"{scorecard.parent.name}（全域）",
        area_cells=[cell(c.area, c.decimals) for c in scorecard.columns],
        row_names=[u.name for u in scorecard.units],
        rows=[
            [cell(c, col.decimals) for c, col in zip(cells, scorecard.columns, strict=True)]
            for cells in scorecard.cells
        ],
        legend=[(STATUS_LABELS_ZH[s], STATUS_COLOURS[s][0]) for s in STATUS_ORDER],
    )
    return write_scorecard_xlsx(Path(path), sheet)
