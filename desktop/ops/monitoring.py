"""Plan monitoring: every indicator of a plan, at one org unit and year, against each of its milestone targets.

`evaluate_plan` answers leadership's question — where are we against the plan, and what is off track? For each
indicator row it computes the yearly values (ops.indicator_values), judges every milestone target with the
progress rules (core.target_status) and picks the headline: the first milestone in or after the chosen year
(the last one once they are all past). A milestone already past is judged as of its own year ("was the 2020
target met in 2020?"); the coming one as of the chosen year.

Baselines: for the plan's own area (the county, for a county plan or an imported one) the baseline written in
the plan is used; elsewhere — a township, or a county held to a city plan — the unit's own value in the baseline
year is, since the plan's figure describes another area. When the plan's figure and the area's own value for
that year disagree (昌乐县 rows 6 and 13 give 15.37 and 14.1 for the same 2020 rate), the pace is measured on the
unit's own series — a pace from one source's baseline to another source's latest value is not a pace — and the
reason names the disagreement.

Tunable thresholds (the ±band of “81左右”, the on-track ratios) and reference values for comparator targets
(优于全省平均水平) live in the `setting` table (ops.monitoring_settings, re-exported here).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from desktop.core.target_status import (
    DEFAULT_SETTINGS,
    STATUS_LABELS_ZH,
    Evaluation,
    StatusSettings,
    evaluate_target,
    format_quantity,
)
from desktop.ops.aggregate import UnitTree
from desktop.ops.indicator_values import IndicatorSpec, IndicatorValues, UnitValue, load_indicator_specs
from desktop.ops.monitoring_settings import REFERENCE_PREFIX as REFERENCE_PREFIX
from desktop.ops.monitoring_settings import SETTING_KEYS as SETTING_KEYS
from desktop.ops.monitoring_settings import MonitoringError as MonitoringError
from desktop.ops.monitoring_settings import load_reference_values as load_reference_values
from desktop.ops.monitoring_settings import load_status_settings as load_status_settings
from desktop.ops.monitoring_settings import save_status_settings as save_status_settings
from desktop.ops.monitoring_settings import set_reference_value as set_reference_value
from desktop.ops.progress import Progress, report
from desktop.store import orgunits, plans
from desktop.store.value_reads import annual_periods_for_units

OFF_TRACK_STATUSES = ("off_track", "deteriorating")
# Worst first: a list sorted by this shows leadership the problems before the successes.
STATUS_ORDER = (
    "deteriorating",
    "off_track",
    "needs_acceleration",
    "on_track",
    "achieved",
    "cannot_judge",
    "no_data",
)
# One colour per status (background, text), shared by the screens and the exported workbook.
STATUS_COLOURS = {
    "achieved": ("#c8e6c9", "#1b5e20"),
    "on_track": ("#e3f2d5", "#33691e"),
    "needs_acceleration": ("#ffe9a8", "#6d4c00"),
    "off_track": ("#ffcc99", "#7a3300"),
    "deteriorating": ("#f4b4b4", "#7f0000"),
    "no_data": ("#eeeeee", "#616161"),
    "cannot_judge": ("#e3e8f0", "#37474f"),
}
_TREND_WORDS = {"up": "持续提高", "down": "持续降低", "improve": "持续改善"}


@dataclass(frozen=True)
class MilestoneStatus:
    """One milestone target of a row: as written, as read, as computed, and its judgement."""

    target_id: int
    year: int
    raw: str
    kind: str
    note: str | None
    ambiguous: bool
    evaluation: Evaluation
    threshold_text: str  # '≥ 80%', '79.38–82.62 岁', '持续提高', '—'

    @property
    def status(self) -> str:
        return self.evaluation.status


@dataclass(frozen=True)
class IndicatorProgress:
    """One row of a plan's indicator table, evaluated at one unit and year."""

    plan_indicator_id: int
    indicator_id: int
    indicator_code: str
    seq: str | None
    domain: str | None
    name: str
    unit: str  # display unit ('%', '岁', '1/10万'; '' when none)
    nature: str | None
    direction: str
    baseline_raw: str | None
    baseline_value: float | None
    baseline_year: int | None
    baseline_source: str | None  # 'plan' (written in the plan), 'data' (the unit's own value) or None
    baseline_note: str  # why the plan's written baseline was set aside ('' when it was not)
    series: tuple[tuple[int, float], ...]
    coverage: Mapping[int, str]  # year → '8 个单位中 6 个已报' for partial roll-ups
    milestones: tuple[MilestoneStatus, ...]
    current: int | None  # index of the headline milestone
    status: str
    reason: str
    computable: bool
    decimals: int = 2

    @property
    def status_label(self) -> str:
        return STATUS_LABELS_ZH[self.status]

    @property
    def is_off_track(self) -> bool:
        return self.status in OFF_TRACK_STATUSES

    @property
    def is_binding(self) -> bool:
        return self.nature == "约束性"

    @property
    def headline(self) -> MilestoneStatus | None:
        return self.milestones[self.current] if self.current is not None else None

    @property
    def latest(self) -> tuple[int, float] | None:
        """The latest (year, value) up to the year evaluated."""
        return self.series[-1] if self.series else None


@dataclass(frozen=True)
class PlanProgress:
    """A whole plan at one unit and year."""

    plan: plans.Plan
    unit: orgunits.OrgUnit
    year: int
    rows: tuple[IndicatorProgress, ...]
    settings: StatusSettings

    def counts(self) -> dict[str, int]:
        """How many rows have each status (every status present, zeros included), worst first."""
        found = Counter(r.status for r in self.rows)
        return {s: found.get(s, 0) for s in STATUS_ORDER}

    @property
    def domains(self) -> list[str]:
        return list(dict.fromkeys(r.domain for r in self.rows if r.domain))

    def summary_zh(self) -> str:
        """'33 项指标：已达标 9，进展顺利 5，…' (statuses with none are left out)."""
        parts = [f"{STATUS_LABELS_ZH[s]} {n}" for s, n in self.counts().items() if n]
        return f"{len(self.rows)} 项指标：" + "，".join(parts)


# ---------------------------------------------------------------------------------------------------------
# Evaluating
# ---------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=256)
def display_unit(unit: str | None) -> str:
    """The unit as a reason sentence writes it: '/10万' (a plan's shorthand) reads 1/10万; NFKC otherwise."""
    text = unicodedata.normalize("NFKC", unit or "").strip()
    return "1" + text if text.startswith("/") else text


def threshold_text(evaluation: Evaluation, target: plans.Target, unit: str) -> str:
    """The computed target as a short text: '≥ 80%', '< 3.3‰', '79.38–82.62 岁', '持续提高', '—'."""
    bound, low = evaluation.bound, evaluation.threshold
    if bound == "trend":
        return _TREND_WORDS.get(target.direction or "", "趋势")
    if low is None:
        return "—"
    if bound == "between" and evaluation.threshold_max is not None:
        return f"{format_quantity(low)}–{format_quantity(evaluation.threshold_max, unit)}"
    strict = target.strict and target.kind in ("at_least", "at_most")
    sign = {"at_least": ">" if strict else "≥", "at_most": "<" if strict else "≤"}.get(bound or "", "")
    return f"{sign} {format_quantity(low, unit)}".strip()


def series_years(plan: plans.Plan, rows: list[plans.PlanIndicator], year: int) -> list[int]:
    """The years a plan's evaluation reads: from its earliest baseline or base year up to year."""
    starts = [plan.baseline_year] + [r.baseline_year for r in rows]
    starts += [t.base_year for r in rows for t in r.targets]
    known = [y for y in starts if y is not None and y <= year]
    start = min(known) if known else year - 10
    return list(range(max(start, year - 30), year + 1))


# Statuses whose reason rests on the baseline: a note about where the baseline came from belongs there.
_PACED_STATUSES = ("on_track", "needs_acceleration", "off_track", "deteriorating")


@dataclass(frozen=True)
class Baseline:
    """The baseline a row is judged from, where it came from, and a note when the plan's figure was set aside."""

    year: int | None
    value: float | None
    source: str | None  # 'plan', 'data' or None
    note: str = ""


def _disagree(written: float, own: float) -> bool:
    # More than rounding (91.78 written, 91.79 computed) and more than 1 %: two different figures.
    return abs(own - written) > max(0.01 * max(abs(written), abs(own)), 0.005)


def row_baseline(
    row: plans.PlanIndicator,
    plan_baseline_year: int | None,
    use_plan_baseline: bool,
    numbers: Mapping[int, float],
    unit: str = "",
) -> Baseline:
    """The baseline of row at a unit whose yearly values are numbers (see the module docstring)."""
    # The row's baseline year (else the plan's); its written value only where it describes the unit judged.
    year = row.baseline_year or plan_baseline_year
    written = row.baseline_value if use_plan_baseline else None
    own = numbers.get(year) if year is not None else None
    if written is None:
        return Baseline(year, None, "data" if own is not None else None)
    if own is not None and _disagree(written, own):
        note = (
            f"规划基期值 {format_quantity(written, unit)} 与{year}年实际数据 {format_quantity(own, unit)} 不一致，"
            "进度按实际数据计算"
        )
        return Baseline(year, own, "data", note)
    return Baseline(year, written, "plan")


def _judge(
    target: plans.Target,
    spec: IndicatorSpec,
    numbers: Mapping[int, float],
    year: int,
    baseline: Baseline,
    settings: StatusSettings,
    references: Mapping[int, float],
    unit: str,
) -> Evaluation:
    """One milestone judged as of min(year, its year), with the reason fixed up for indicators without data."""
    evaluation = evaluate_target(
        target,
        direction=spec.direction,
        target_year=target.year,
        series=numbers,
        baseline_year=baseline.year,
        baseline_value=baseline.value,
        reference_value=references.get(target.id),
        as_of_year=min(year, target.year),
        settings=settings,
        unit=unit,
        is_count=spec.is_count,
        is_yesno=spec.is_yesno,
        decimals=spec.decimals,
    )
    if evaluation.status == "no_data" and not spec.computable:
        evaluation = replace(evaluation, reason=f"{spec.problem}，无法计算实际值。")
    elif baseline.note and evaluation.status in _PACED_STATUSES:
        evaluation = replace(evaluation, reason=evaluation.reason.rstrip("。") + f"（{baseline.note}）。")
    return evaluation


def headline_target(row: plans.PlanIndicator, year: int) -> plans.Target | None:
    """The milestone a row is judged on in year: the first in or after it, else the last one."""
    return next((t for t in row.targets if t.year >= year), row.targets[-1] if row.targets else None)


def _with_coverage(reason: str, latest_year: int | None, coverage: Mapping[int, str]) -> str:
    if latest_year in coverage:  # a partial roll-up must never pass for the whole area
        return reason.rstrip("。") + f"（{latest_year}年为部分汇总：{coverage[latest_year]}）。"
    return reason


def _values_up_to(series: Mapping[int, UnitValue], year: int) -> dict[int, float]:
    return {y: v.value for y, v in series.items() if v.value is not None and y <= year}


@dataclass(frozen=True)
class HeadlineStatus:
    """A row's headline judgement alone, as a scorecard cell needs it."""

    value: float | None
    year: int | None
    status: str
    reason: str
    partial: str | None  # '5 个单位中 3 个已报' when the value is a partial roll-up
    threshold_text: str

    @property
    def status_label(self) -> str:
        return STATUS_LABELS_ZH[self.status]


def judge_headline(
    row: plans.PlanIndicator,
    spec: IndicatorSpec,
    series: Mapping[int, UnitValue],
    year: int,
    *,
    plan_baseline_year: int | None,
    use_plan_baseline: bool,
    settings: StatusSettings = DEFAULT_SETTINGS,
    references: Mapping[int, float] | None = None,
) -> HeadlineStatus:
    """What evaluate_row says about the headline milestone, without judging the others (scorecards)."""
    numbers = _values_up_to(series, year)
    latest = max(numbers) if numbers else None
    target = headline_target(row, year)
    if target is None:
        status, reason, shown = "cannot_judge", "规划未给出目标年份的目标值，不作评价。", "—"
    else:
        unit = display_unit(row.unit_as_written or spec.unit)
        baseline = row_baseline(row, plan_baseline_year, use_plan_baseline, numbers, unit)
        evaluation = _judge(target, spec, numbers, year, baseline, settings, references or {}, unit)
        coverage = (
            {evaluation.latest_year: series[evaluation.latest_year].coverage_zh}
            if (evaluation.latest_year in series and series[evaluation.latest_year].partial)
            else {}
        )
        status, shown = evaluation.status, threshold_text(evaluation, target, unit)
        reason = _with_coverage(evaluation.reason, evaluation.latest_year, coverage)
    partial = series[latest].coverage_zh if latest is not None and series[latest].partial else None
    return HeadlineStatus(
        value=numbers[latest] if latest is not None else None,
        year=latest,
        status=status,
        reason=reason,
        partial=partial,
        threshold_text=shown,
    )


def evaluate_row(
    row: plans.PlanIndicator,
    spec: IndicatorSpec,
    series: Mapping[int, UnitValue],
    year: int,
    *,
    plan_baseline_year: int | None,
    use_plan_baseline: bool,
    settings: StatusSettings = DEFAULT_SETTINGS,
    references: Mapping[int, float] | None = None,
) -> IndicatorProgress:
    """Judge every milestone of one plan row from the unit's yearly values (see the module docstring)."""
    references = references or {}
    unit = display_unit(row.unit_as_written or spec.unit)
    numbers = _values_up_to(series, year)
    baseline = row_baseline(row, plan_baseline_year, use_plan_baseline, numbers, unit)
    b_year, b_value, b_source = baseline.year, baseline.value, baseline.source
    milestones = []
    for target in row.targets:
        evaluation = _judge(target, spec, numbers, year, baseline, settings, references, unit)
        milestones.append(
            MilestoneStatus(
                target_id=target.id,
                year=target.year,
                raw=target.raw,
                kind=target.kind,
                note=target.note,
                ambiguous=target.ambiguous,
                evaluation=evaluation,
                threshold_text=threshold_text(evaluation, target, unit),
            )
        )
    current = next((i for i, m in enumerate(milestones) if m.year >= year), len(milestones) - 1)
    coverage = {y: v.coverage_zh for y, v in series.items() if v.partial and y <= year}
    if milestones and milestones[current].evaluation.baseline_value is not None:
        # The rules fall back to the earliest value when the baseline year has none; show what they used.
        used = milestones[current].evaluation
        if b_source != "plan" or used.baseline_year != b_year:
            b_source = "data"
        b_year, b_value = used.baseline_year, used.baseline_value
    if milestones:
        headline = milestones[current]
        status, reason = headline.status, headline.evaluation.reason
        reason = _with_coverage(reason, headline.evaluation.latest_year, coverage)
    else:
        status, reason = "cannot_judge", "规划未给出目标年份的目标值，不作评价。"
    return IndicatorProgress(
        plan_indicator_id=row.id,
        indicator_id=row.indicator_id,
        indicator_code=row.indicator_code,
        seq=row.seq,
        domain=row.domain,
        name=row.name_as_written,
        unit=unit,
        nature=row.nature,
        direction=spec.direction,
        baseline_raw=row.baseline_raw,
        baseline_value=b_value if b_value is not None else numbers.get(b_year) if b_year else None,
        baseline_year=b_year,
        baseline_source=b_source,
        baseline_note=baseline.note,
        series=tuple(sorted(numbers.items())),
        coverage=coverage,
        milestones=tuple(milestones),
        current=current if milestones else None,
        status=status,
        reason=reason,
        computable=spec.computable,
        decimals=spec.decimals,
    )


def root_unit(tree: UnitTree) -> orgunits.OrgUnit:
    """The top of the org tree (the county); raises MonitoringError for a file without org units."""
    roots = [u for u in tree.units.values() if u.parent_id is None]
    if not roots:
        raise MonitoringError("数据库中还没有机构，无法计算指标值")
    return min(roots, key=lambda u: (u.level, u.sort_order, u.code))


def uses_plan_baseline(plan: plans.Plan, unit: orgunits.OrgUnit) -> bool:
    """True when the plan's written baselines describe unit: the top unit, for a county-level or own plan."""
    return unit.parent_id is None and plan.level in (None, "county")


def plan_and_unit(
    conn: sqlite3.Connection, plan_id: int, unit_id: int | None, tree: UnitTree
) -> tuple[plans.Plan, orgunits.OrgUnit]:
    """The plan and the unit to judge (default: the county); MonitoringError names whichever is unknown."""
    plan = plans.get_plan(conn, plan_id)
    if plan is None:
        raise MonitoringError(f"找不到规划（编号 {plan_id}）")
    if unit_id is None:
        return plan, root_unit(tree)
    unit = tree.units.get(unit_id)
    if unit is None:
        raise MonitoringError(f"找不到机构（编号 {unit_id}）")
    return plan, unit


def evaluate_plan(
    conn: sqlite3.Connection,
    plan_id: int,
    year: int,
    unit_id: int | None = None,
    *,
    settings: StatusSettings | None = None,
    progress: Progress | None = None,
) -> PlanProgress:
    """Every indicator row of the plan at unit_id (default: the county) with data up to year."""
    tree = UnitTree.load(conn)
    plan, unit = plan_and_unit(conn, plan_id, unit_id, tree)
    rows = plans.list_plan_indicators(conn, plan.id)
    specs = load_indicator_specs(conn, {r.indicator_id for r in rows})
    settings = settings or load_status_settings(conn)
    references = load_reference_values(conn)
    source = IndicatorValues(conn, tree, specs.values())
    years = series_years(plan, rows, year)
    source.preload([unit.id], years)
    own_area = uses_plan_baseline(plan, unit)
    results = []
    for n, row in enumerate(rows):
        if progress is not None:
            progress.step(n, len(rows), f"计算“{row.name_as_written}”")
        spec = specs[row.indicator_id]
        results.append(
            evaluate_row(
                row,
                spec,
                source.series(spec, unit.id, years),
                year,
                plan_baseline_year=plan.baseline_year,
                use_plan_baseline=own_area,
                settings=settings,
                references=references,
            )
        )
    report(progress, 1.0, "完成")
    return PlanProgress(plan=plan, unit=unit, year=year, rows=tuple(results), settings=settings)


def monitoring_years(conn: sqlite3.Connection, plan: plans.Plan, unit_id: int | None = None) -> list[int]:
    """The years worth offering for a plan: its baseline and plan period, and the years data exist for."""
    tree = UnitTree.load(conn)
    unit = tree.units.get(unit_id) if unit_id is not None else None
    units = [unit.id] if unit is not None else []
    if not units and tree.units:
        top = root_unit(tree)
        units = [top.id, *tree.children.get(top.id, [])]
    years = set(annual_periods_for_units(conn, units))
    span = [y for y in (plan.baseline_year, plan.period_start, plan.period_end) if y]
    if span:
        years.update(range(min(span), max(span) + 1))
    return sorted(years)


def default_year(conn: sqlite3.Connection, plan: plans.Plan) -> int:
    """The year to show first: the latest year with data within the plan's span, else the plan's baseline."""
    tree = UnitTree.load(conn)
    units: list[int] = []
    if tree.units:
        top = root_unit(tree)
        units = [top.id, *tree.children.get(top.id, [])]
    with_data = annual_periods_for_units(conn, units)
    end = plan.period_end or max(with_data, default=0)
    inside = [y for y in with_data if y <= end and (plan.baseline_year is None or y >= plan.baseline_year)]
    if inside:
        return inside[-1]
    return plan.baseline_year or plan.period_start or max(with_data, default=2020)


# ---------------------------------------------------------------------------------------------------------
# The path a target needs (for charts)
# ---------------------------------------------------------------------------------------------------------


def _aim(evaluation: Evaluation, start: float) -> float | None:
    low, high = evaluation.threshold, evaluation.threshold_max
    if evaluation.bound in ("at_least", "at_most"):
        return low
    if evaluation.bound == "between" and low is not None and high is not None:
        if start < low:
            return low
        return high if start > high else (low + high) / 2
    return None


def _already_met(evaluation: Evaluation, value: float) -> bool:
    low, high = evaluation.threshold, evaluation.threshold_max
    if evaluation.bound == "at_least":
        return low is not None and value >= low
    if evaluation.bound == "at_most":
        return low is not None and value <= low
    if evaluation.bound == "between":
        return low is not None and high is not None and low <= value <= high
    return False


def required_path(row: IndicatorProgress) -> list[tuple[int, float]]:
    """Yearly points of the path from the baseline through each numeric milestone: compound where the rule
    measures growth in % (Open SDG), straight where it counts points or units. Empty when there is no path."""
    if row.baseline_year is None or row.baseline_value is None:
        return []
    points = [(row.baseline_year, row.baseline_value)]
    for milestone in sorted(row.milestones, key=lambda m: m.year):
        start_year, start = points[-1]
        aim = _aim(milestone.evaluation, start)
        if aim is None or milestone.year <= start_year or _already_met(milestone.evaluation, start):
            # A bound the path already meets asks for no movement: a path rising from 2.27‰ to the 3.3‰
            # ceiling would tell leadership that infant mortality has room to grow.
            continue
        mode = milestone.evaluation.change_mode or ("percent" if start > 0 and aim > 0 else "absolute")
        span = milestone.year - start_year
        for step in range(1, span + 1):
            if mode == "percent" and start > 0 and aim > 0:
                value = start * (aim / start) ** (step / span)
            else:
                value = start + (aim - start) * step / span
            points.append((start_year + step, value))
    return points if len(points) > 1 else []
