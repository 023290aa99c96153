"""Progress status of an indicator against one parsed plan target (DOMAIN.md, "Progress status").

`evaluate_target` takes a parsed target (anything with the attributes of targets.TargetReading), the indicator's
direction and its yearly values, and returns an `Evaluation`: one of seven statuses, the threshold it computed,
the latest and baseline points, the required and observed average annual change and one Chinese sentence saying
why. Pure functions, standard library only.

Rules, in the order they are applied:
1. kind "none" (the plan cell is ——) → cannot_judge: there is data to show but nothing to judge it against.
2. No value up to as_of_year → no_data.
3. The target's kind, not "higher is better", decides what the latest value must meet (`threshold_for`).
   A kind that cannot be turned into a threshold (comparator without reference, relative target without the
   base-year value, …) → cannot_judge, with the missing piece named.
4. Latest value meets it → achieved, whenever that happens and even if the baseline already did.
5. Counts (is_count) within ±count_tolerance of the target → on_track (TolaData: counts are lumpy).
6. Baseline met the target but the latest value does not → deteriorating (it slipped past the target).
7. Otherwise Open SDG / Statistics Canada: ratio = observed average annual change since the baseline / change
   per year required from the baseline to reach the threshold by the target year. ≥ on_track_ratio on_track,
   ≥ acceleration_ratio needs_acceleration, ≥ 0 off_track, < 0 deteriorating. At or past the target year there
   is nothing left to project: off_track, or deteriorating when it moved the wrong way.
Direction-only targets are judged on the trend since the baseline instead (see `_evaluate_trend`).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from desktop.core.status_text import (
    change_phrase,
    change_word,
    finish_reason,
    format_number,
    format_quantity,
)

STATUSES = (
    "achieved",
    "on_track",
    "needs_acceleration",
    "off_track",
    "deteriorating",
    "no_data",
    "cannot_judge",
)
STATUS_LABELS_ZH = {
    "achieved": "已达标",
    "on_track": "进展顺利",
    "needs_acceleration": "需加快",
    "off_track": "滞后",
    "deteriorating": "退步",
    "no_data": "无数据",
    "cannot_judge": "无法判断",
}
INDICATOR_DIRECTIONS = ("up", "down", "neutral")
# "Hold" wording: the parser reads 维持在较低水平 / 保持稳定 as direction 'improve'; holding means "not worse".
_HOLD_WORDS = ("保持", "维持", "稳定")


class TargetLike(Protocol):
    """What this module reads from a parsed target; targets.TargetReading satisfies it."""

    @property
    def raw(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> float | None: ...
    @property
    def value_max(self) -> float | None: ...
    @property
    def base_year(self) -> int | None: ...
    @property
    def change(self) -> str | None: ...
    @property
    def direction(self) -> str | None: ...
    @property
    def strict(self) -> bool: ...
    @property
    def hedge(self) -> object: ...
    @property
    def ambiguous(self) -> bool: ...


@dataclass(frozen=True)
class StatusSettings:
    """Tunable thresholds; the defaults are the published ones (Open SDG, TolaData)."""

    approx_band: float = 0.02  # "81左右" accepts 81 ± 2 % of 81
    on_track_ratio: float = 0.95
    acceleration_ratio: float = 0.60
    count_tolerance: float = 0.15  # counts within ±15 % of the target are on track
    direction_threshold: float = 0.0  # trend targets: relative move since baseline that counts as progress
    threshold_decimals: int | None = (
        2  # computed thresholds are rounded like published statistics before comparing
    )


DEFAULT_SETTINGS = StatusSettings()


@dataclass(frozen=True)
class Evaluation:
    """The judgement of one target. Changes are per year: percent points of growth when change_mode is
    'percent' (compound annual growth, 1.9 means 1.9 %), units per year when it is 'absolute'.

    bound says how threshold is used: 'at_least', 'at_most', 'between' (threshold..threshold_max) or 'trend'.
    """

    status: str
    reason: str
    threshold: float | None = None
    threshold_max: float | None = None
    bound: str | None = None
    target_year: int | None = None
    latest_value: float | None = None
    latest_year: int | None = None
    baseline_value: float | None = None
    baseline_year: int | None = None
    required_annual_change: float | None = None
    observed_annual_change: float | None = None
    change_mode: str | None = None
    progress_ratio: float | None = None

    @property
    def label_zh(self) -> str:
        return STATUS_LABELS_ZH[self.status]


@dataclass(frozen=True)
class _Goal:
    """Bounds the latest value must meet; basis is a clause saying how computed bounds were derived."""

    low: float | None = None
    high: float | None = None
    strict_low: bool = False
    strict_high: bool = False
    mode: str | None = None  # 'absolute' when the plan speaks in points, else chosen from the data
    basis: str = ""

    def fails_low(self, x: float) -> bool:
        if self.low is None:
            return False
        eps = 1e-9 * max(1.0, abs(self.low))  # float noise only, never a real tolerance
        return x <= self.low + eps if self.strict_low else x < self.low - eps

    def fails_high(self, x: float) -> bool:
        if self.high is None:
            return False
        eps = 1e-9 * max(1.0, abs(self.high))
        return x >= self.high - eps if self.strict_high else x > self.high + eps

    def meets(self, x: float) -> bool:
        return not self.fails_low(x) and not self.fails_high(x)

    @property
    def bound(self) -> str:
        if self.low is not None and self.high is not None:
            return "between"
        return "at_least" if self.low is not None else "at_most"


def _bound_text(goal: _Goal, unit: str) -> str:
    """What follows "目标": '区间 79.38–82.62 岁', ' 2.8 人', '上限 3.3‰', '“高于 80”'."""
    if goal.bound == "between":
        return f"区间 {format_number(goal.low)}–{format_quantity(goal.high, unit)}"
    if goal.bound == "at_least":
        low = format_quantity(goal.low, unit)
        return f"“高于 {low}”" if goal.strict_low else f" {low}"
    high = format_quantity(goal.high, unit)
    return f"“低于 {high}”" if goal.strict_high else f"上限 {high}"


def _with_label(status: str, body: str) -> str:
    # A cannot_judge body already ends by saying why it cannot judge; repeating 无法判断 reads badly.
    return body if status == "cannot_judge" else f"{body}，{STATUS_LABELS_ZH[status]}"


def _achieved_text(goal: _Goal, x: float, target_year: int, unit: str) -> str:
    if goal.bound == "between":
        return f"已在{target_year}年目标{_bound_text(goal, unit)}内"
    if goal.bound == "at_least":
        verb = "高于" if x > goal.low else "达到"
        return f"已{verb}{target_year}年目标 {format_quantity(goal.low, unit)}"
    verb = "低于" if x < goal.high else "达到"
    return f"已{verb}{target_year}年目标上限 {format_quantity(goal.high, unit)}"


def _rounded(x: float, settings: StatusSettings) -> float:
    return round(x, settings.threshold_decimals) if settings.threshold_decimals is not None else x


def _band(centre: float, settings: StatusSettings, basis: str = "") -> _Goal:
    half = abs(centre) * settings.approx_band
    return _Goal(
        low=_rounded(centre - half, settings),
        high=_rounded(centre + half, settings),
        basis=basis,
    )


def _directed(
    value: float, way: str | None, strict: bool, settings: StatusSettings, **extra: object
) -> _Goal:
    """A level reached by moving `way`: up means at least, down at most, anything else a band around it."""
    if way == "up":
        return _Goal(low=value, strict_low=strict, **extra)
    if way == "down":
        return _Goal(high=value, strict_high=strict, **extra)
    return _band(value, settings, basis=str(extra.get("basis", "")))


def _goal(
    target: TargetLike,
    baseline_value: float | None,
    baseline_year: int | None,
    base_value: float | None,
    target_year: int,
    indicator_direction: str,
    reference_value: float | None,
    settings: StatusSettings,
    unit: str,
    is_yesno: bool,
) -> _Goal | str | None:
    """The bounds for the target year; None for direction-only targets; a str says why none can be computed."""
    kind, value, strict = target.kind, target.value, bool(target.strict)
    if kind == "none":
        return "规划未设定目标值"
    if kind == "direction":
        return None
    if kind == "coverage":  # 全覆盖 / 所有 / 人人: 100 %, or "yes" for a yes/no indicator
        full = 1.0 if is_yesno else value if value is not None else 100.0
        return _Goal(low=full)
    if kind == "comparator":
        if reference_value is None:
            return "需录入参照值（如全省平均水平）后才能比较"
        # 高于/不低于 carry their way; 优于/前列 mean "better", which the indicator's direction defines.
        way = target.direction if target.direction in ("up", "down") else indicator_direction
        if way not in ("up", "down"):
            return "指标方向未定，无法确定“优于”的含义"
        basis = f"参照值 {format_quantity(reference_value, unit)}"
        return _directed(reference_value, way, strict, settings, basis=basis)
    if value is None:
        return "目标值缺失"
    if kind == "at_least":
        return _Goal(low=value, strict_low=strict)
    if kind == "at_most":
        return _Goal(high=value, strict_high=strict)
    if kind == "level":  # a bare number: the indicator's direction says whether it is a floor or a ceiling
        return _directed(value, indicator_direction, strict, settings)
    if kind == "approx":
        return _band(value, settings)
    if kind == "range":
        if target.value_max is None:
            return _directed(value, indicator_direction, strict, settings)
        return _Goal(low=min(value, target.value_max), high=max(value, target.value_max))
    # Changes: the sign of value is the plan's verb (降低 → negative), so it decides floor or ceiling.
    way = "up" if value > 0 else "down" if value < 0 else indicator_direction
    percent = target.change == "percent"  # relative %; 'points' and None are absolute (个百分点, 岁, 人)
    if kind in ("relative_to_base", "points_change"):
        # From the base year's value when the plan names one (比2015年…), else from the baseline (提高6个百分点).
        year = target.base_year if target.base_year is not None else baseline_year
        if base_value is None and year == baseline_year:
            base_value = baseline_value
        if base_value is None:
            return f"缺少{year}年基数，无法计算目标值" if year else "缺少基数，无法计算目标值"
        # The parser reads the unclear "降低10" as relative % and flags it ambiguous; the flag reaches the reason.
        raw_threshold = base_value * (1 + value / 100) if percent else base_value + value
        threshold = _rounded(raw_threshold, settings)
        basis = (
            f"比{year}年（{format_quantity(base_value, unit)}）{change_word(value, unit, not percent)}"
            f" 即 {format_quantity(threshold, unit)}"
        )
        mode = None if percent else "absolute"
        return _directed(threshold, way, strict, settings, basis=basis, mode=mode)
    if kind == "annual_change":
        if baseline_value is None or baseline_year is None:
            return "缺少基线值，无法计算目标值"
        years = target_year - baseline_year
        if years <= 0:
            return f"目标年份{target_year}不晚于基线年{baseline_year}，无法按年计算"
        # A per-year rule compounds when written in %, adds up when written in points or units.
        try:
            raw_threshold = (
                baseline_value * (1 + value / 100) ** years if percent else baseline_value + value * years
            )
        except OverflowError:
            return "目标值超出可计算范围"
        threshold = _rounded(raw_threshold, settings)
        basis = (
            f"每年{change_word(value, unit, not percent)}，自{baseline_year}年（{format_quantity(baseline_value, unit)}）"
            f"起到{target_year}年应为 {format_quantity(threshold, unit)}"
        )
        return _directed(
            threshold, way, strict, settings, basis=basis, mode="percent" if percent else "absolute"
        )
    return f"未识别的目标类型“{kind}”"


def threshold_for(
    target: TargetLike,
    *,
    baseline_value: float | None,
    baseline_year: int | None,
    base_value: float | None,
    target_year: int,
    indicator_direction: str,
    reference_value: float | None = None,
    settings: StatusSettings = DEFAULT_SETTINGS,
    is_yesno: bool = False,
) -> tuple[float | None, float | None]:
    """The (low, high) bounds the latest value must meet in the target year; None marks an open side.

    (None, None) when the target has no numeric threshold (direction-only, none) or one cannot be computed
    (comparator without reference_value, relative target without base_value). base_value is the indicator's
    value in target.base_year.
    """
    args = (baseline_value, baseline_year, base_value, target_year, indicator_direction, reference_value)
    goal = _goal(target, *args, settings, "", is_yesno)
    if not isinstance(goal, _Goal):
        return (None, None)
    return (goal.low, goal.high)


def _annual_change(start: float, end: float, years: int, mode: str) -> float:
    if mode == "percent":  # compound annual growth rate, in percent (Open SDG)
        return ((end / start) ** (1 / years) - 1) * 100
    return (end - start) / years


def _pick_mode(goal_mode: str | None, *values: float) -> str:
    # CAGR is the method's measure; it needs positive values, and a plan written in points is judged in points.
    if goal_mode == "absolute" or any(v <= 0 for v in values):
        return "absolute"
    return "percent"


def _clean(series: Mapping[int, float | None]) -> list[tuple[int, float]]:
    """(year, value) pairs in year order; None and NaN are missing data, never zero."""
    numbers = (
        (int(year), float(v)) for year, v in series.items() if v is not None and not isinstance(v, bool)
    )
    return sorted((year, number) for year, number in numbers if math.isfinite(number))


def evaluate_target(
    target: TargetLike,
    *,
    direction: str,
    target_year: int,
    series: Mapping[int, float | None],
    baseline_year: int | None = None,
    baseline_value: float | None = None,
    base_value: float | None = None,
    reference_value: float | None = None,
    as_of_year: int | None = None,
    settings: StatusSettings = DEFAULT_SETTINGS,
    unit: str = "",
    is_count: bool = False,
    is_yesno: bool = False,
    decimals: int | None = None,
) -> Evaluation:
    """Judge one target for one indicator.

    direction: the indicator's good direction ('up', 'down', 'neutral'). series: year → value, missing years
    absent (None/NaN are ignored). The latest value is the most recent one up to as_of_year (default: all).
    The baseline is baseline_year/baseline_value when both are known (or baseline_year's value in series), else
    the earliest value in the series. base_value is the value in target.base_year for relative targets; by
    default it is read from series or the baseline. reference_value is the user's reference for comparators.
    is_count applies the ±count_tolerance rule; is_yesno lets 1/0 indicators answer "improve"/"全覆盖" targets.
    decimals, when given, is the precision the indicator is published with: values are compared with the target
    as published (1.9987 shown as 2.00 meets "2"), while the pace is computed from the unrounded values.
    """
    if direction not in INDICATOR_DIRECTIONS:
        raise ValueError(f"direction must be one of {INDICATOR_DIRECTIONS}, not {direction!r}")
    all_points = _clean(series)
    points = [p for p in all_points if as_of_year is None or p[0] <= as_of_year]
    base = dict(all_points)

    if baseline_year is not None and baseline_value is None:
        baseline_value = base.get(baseline_year)
    if baseline_year is None or baseline_value is None:  # a baseline without its year cannot give a pace
        baseline_year, baseline_value = points[0] if points else (None, None)
    if target.kind in ("relative_to_base", "points_change") and base_value is None and target.base_year:
        base_value = base.get(target.base_year)  # None is fine: _goal falls back or names the gap

    latest_year, latest = points[-1] if points else (None, None)
    context = {
        "target_year": target_year,
        "latest_value": latest,
        "latest_year": latest_year,
        "baseline_value": baseline_value,
        "baseline_year": baseline_year,
    }
    where = f"{latest_year}年 {format_quantity(latest, unit)}，" if latest is not None else ""

    if target.kind == "none":  # a distinct status would add an eighth colour for "nothing to judge"
        why = "目标文字无法解读，请人工核对" if target.ambiguous else "规划未设定目标值，不作评价"
        return Evaluation("cannot_judge", finish_reason(None, "", f"{where}{why}"), **context)
    if latest is None:
        when = f"截至{as_of_year}年" if as_of_year is not None else ""
        return Evaluation("no_data", finish_reason(None, "", f"{when}尚无数据，无法评价"), **context)

    args = (baseline_value, baseline_year, base_value, target_year, direction, reference_value)
    goal = _goal(target, *args, settings, unit, is_yesno)
    if goal is None or (is_yesno and target.kind == "coverage"):  # 1/0 coverage is a milestone too
        return _evaluate_trend(target, direction, settings, unit, is_yesno, context)
    if isinstance(goal, str):
        return Evaluation("cannot_judge", finish_reason(target, "", f"{where}{goal}，无法判断"), **context)
    return _evaluate_goal(target, goal, settings, unit, is_count, context, decimals)


def _evaluate_goal(
    target: TargetLike,
    goal: _Goal,
    settings: StatusSettings,
    unit: str,
    is_count: bool,
    context: dict[str, Any],
    decimals: int | None = None,
) -> Evaluation:
    latest: float = context["latest_value"]
    latest_year: int = context["latest_year"]
    target_year: int = context["target_year"]
    b_value, b_year = context["baseline_value"], context["baseline_year"]
    if goal.bound == "between":
        shown = {"threshold": goal.low, "threshold_max": goal.high}
    else:
        shown = {"threshold": goal.low if goal.bound == "at_least" else goal.high}
    fields = {**context, **shown, "bound": goal.bound}
    where = f"{latest_year}年 {format_quantity(latest, unit)}"

    def done(status: str, body: str, **extra: object) -> Evaluation:
        return Evaluation(
            status, finish_reason(target, goal.basis, _with_label(status, body)), **fields, **extra
        )

    def published(x: float) -> float:
        # The reason prints the value with two decimals; judging 1.9987 as "not 2" would read "2 人，未达到 2 人".
        return round(x, decimals) if decimals is not None else x

    if goal.meets(published(latest)):
        return done("achieved", f"{where}，{_achieved_text(goal, published(latest), target_year, unit)}")

    # The violated bound is the aim; good is the way the value must move to reach it.
    aim, good = (goal.low, 1.0) if goal.fails_low(published(latest)) else (goal.high, -1.0)
    assert aim is not None
    target_text = f"{target_year}年目标{_bound_text(goal, unit)}"

    if is_count and abs(latest - aim) <= settings.count_tolerance * abs(aim):
        pct = format_number(settings.count_tolerance * 100)
        return done("on_track", f"{where}，与{target_text}相差在 ±{pct}% 以内（计数指标）")
    if b_value is None or b_year is None:
        return done("cannot_judge", f"{where}，未达到{target_text}，缺少基线，无法判断进展")
    baseline_text = f"{b_year}年 {format_quantity(b_value, unit)}"
    if b_year < latest_year and goal.meets(published(b_value)):
        return done("deteriorating", f"{where}，基线{baseline_text} 曾达到{target_text}，现已不满足")
    if (goal.fails_low(b_value) and good < 0) or (goal.fails_high(b_value) and good > 0):
        return done("off_track", f"{where}，由基线{baseline_text}越过了{target_text}")

    elapsed = latest_year - b_year
    span = target_year - b_year
    if elapsed <= 0 and latest_year >= target_year:
        # The milestone year has come and the target is missed: that is a fact, whatever the pace was.
        return done("off_track", f"{where}，未达到{target_text}（此前没有可比较的基线数据）")
    if elapsed <= 0:
        return done("cannot_judge", f"{where}，未达到{target_text}，基线年之后尚无数据，无法判断进展")
    mode = _pick_mode(goal.mode, b_value, latest, aim)
    observed = _annual_change(b_value, latest, elapsed, mode)
    pace = {"observed_annual_change": observed, "change_mode": mode}
    moved_wrong_way = (latest - b_value) * good < 0

    if latest_year >= target_year or span <= 0:  # no time left to project: judge the end point
        status = "deteriorating" if moved_wrong_way else "off_track"
        worse = "，且比基线更差" if moved_wrong_way else ""
        body = f"{where}，未达到{target_text}（基线{baseline_text}，实际{change_phrase(observed, mode, unit)}）{worse}"
        return done(status, body, **pace)

    required = _annual_change(b_value, aim, span, mode)
    strict = goal.strict_low if good > 0 else goal.strict_high
    reach = ("超过" if good > 0 else "低于") if strict else "达到"
    need = f"{where}，需{change_phrase(required, mode, unit)} 才能在{target_year}年{reach} {format_quantity(aim, unit)}"
    if abs(required) < 1e-12:  # strict bound equal to the baseline: no pace to compare with
        status = "deteriorating" if moved_wrong_way else "off_track"
        return done(status, f"{where}，须越过{target_text}，自基线{baseline_text}以来未越过", **pace)
    ratio = observed / required
    if ratio >= settings.on_track_ratio:
        status = "on_track"
    elif ratio >= settings.acceleration_ratio:
        status = "needs_acceleration"
    elif ratio >= 0:
        status = "off_track"
    else:
        status = "deteriorating"
    share = f"为所需进度的 {ratio * 100:.0f}%" if ratio >= 0 else "与所需方向相反"
    body = f"{need}；实际{change_phrase(observed, mode, unit)}（{share}）"
    return done(status, body, required_annual_change=required, progress_ratio=ratio, **pace)


_WAY_ZH = {"up": "提高", "down": "降低"}


def _evaluate_trend(
    target: TargetLike,
    direction: str,
    settings: StatusSettings,
    unit: str,
    is_yesno: bool,
    context: dict[str, Any],
) -> Evaluation:
    """Direction-only targets (持续提高, 明显下降, 持续改善, 实现…, 维持在较低水平).

    The plan's word decides the way; "improve" means the indicator's good direction. A yes/no indicator
    (1 = done) is achieved at 1. Otherwise the relative move since the baseline, signed by the way: more than
    nothing and at least direction_threshold → on_track, or achieved once the target year is reached; a smaller
    move the right way → needs_acceleration; no move → off_track; the wrong way → deteriorating. A "hold"
    target (保持/维持/稳定) only asks for "not worse": it is achieved while it holds.
    """
    latest: float = context["latest_value"]
    latest_year: int = context["latest_year"]
    target_year: int = context["target_year"]
    b_value, b_year = context["baseline_value"], context["baseline_year"]
    fields = {**context, "bound": "trend"}
    where = f"{latest_year}年 {format_quantity(latest, unit)}"
    reached = "achieved" if latest_year >= target_year else "on_track"

    def done(status: str, body: str, **extra: object) -> Evaluation:
        text = finish_reason(target, "", _with_label(status, body))
        return Evaluation(status, text, **fields, **extra)

    if is_yesno:  # a milestone (实现, 建成, 全覆盖 as 是/否): done or not done
        if latest >= 1:
            return done("achieved", f"{latest_year}年已实现")
        if b_value is not None and b_value >= 1:
            return done("deteriorating", f"基线{b_year}年已实现，{latest_year}年未实现")
        late = "off_track" if latest_year >= target_year else "needs_acceleration"
        return done(late, f"{latest_year}年尚未实现（目标年{target_year}年）")

    raw = unicodedata.normalize("NFKC", str(getattr(target, "raw", "")))
    hold = target.direction not in ("up", "down") and any(word in raw for word in _HOLD_WORDS)
    way = target.direction if target.direction in ("up", "down") else direction
    if way not in ("up", "down") and not hold:
        return done("cannot_judge", f"{where}，目标只说“改善”且指标方向未定，无法判断")
    goal_text = "目标为保持（不差于基线）" if hold else f"目标为持续{_WAY_ZH[way]}"
    if b_value is None or b_year is None or latest_year <= b_year:
        return done("cannot_judge", f"{where}，{goal_text}，基线年之后尚无数据，无法判断趋势")

    mode = _pick_mode(None, b_value, latest)
    observed = _annual_change(b_value, latest, latest_year - b_year, mode)
    move = (latest - b_value) / abs(b_value) if b_value else latest - b_value
    trend = f"{goal_text}；{b_year}年 {format_quantity(b_value, unit)} → {where}（{change_phrase(observed, mode, unit)}）"
    pace = {"observed_annual_change": observed, "change_mode": mode}
    if hold and way not in ("up", "down"):  # 保持稳定 on a neutral indicator: stay within the approx band
        if abs(move) <= settings.approx_band + 1e-12:
            return done("achieved", trend, **pace)
        return done(
            "off_track", f"{trend}，偏离基线超过 {format_number(settings.approx_band * 100)}%", **pace
        )
    signed = move if way == "up" else -move
    if signed < -1e-12:
        return done("deteriorating", f"{trend}，{'较基线变差' if hold else '方向相反'}", **pace)
    if hold:  # a state to keep, like a bound that is met: achieved whenever it holds (parser: 不恶化即达标)
        return done("achieved", trend, **pace)
    if signed > 1e-12 and signed >= settings.direction_threshold:
        return done(reached, trend, **pace)
    if signed > 1e-12:
        need = format_number(settings.direction_threshold * 100)
        return done("needs_acceleration", f"{trend}，变动小于设定的 {need}%", **pace)
    return done("off_track", f"{trend}，没有变化", **pace)
