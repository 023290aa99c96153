"""Report periods: codes, labels, parsing, neighbours, ordering, deadlines."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.periods import (
    MAX_YEAR,
    MIN_YEAR,
    PERIOD_TYPES,
    Period,
    PeriodError,
    current_open_period,
    deadline,
    parse_period,
    period_for_date,
    periods_between,
)

# Leave one year of room at each end so previous()/next()/same_period_last_year() stay in range.
years = st.integers(min_value=MIN_YEAR + 1, max_value=MAX_YEAR - 1)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    period_type = draw(st.sampled_from(PERIOD_TYPES))
    year = draw(years)
    if period_type == "quarter":
        return Period(period_type, year, draw(st.integers(1, 4)))
    if period_type == "month":
        return Period(period_type, year, draw(st.integers(1, 12)))
    return Period(period_type, year, 0)


# --- codes, labels, calendar --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "code", "label", "start", "end"),
    [
        (Period("year", 2024), "2024", "2024年", date(2024, 1, 1), date(2024, 12, 31)),
        (Period("quarter", 2024, 1), "2024Q1", "2024年第1季度", date(2024, 1, 1), date(2024, 3, 31)),
        (Period("quarter", 2024, 4), "2024Q4", "2024年第4季度", date(2024, 10, 1), date(2024, 12, 31)),
        (Period("month", 2024, 3), "202403", "2024年3月", date(2024, 3, 1), date(2024, 3, 31)),
        (Period("month", 2024, 2), "202402", "2024年2月", date(2024, 2, 1), date(2024, 2, 29)),
        (Period("month", 2023, 2), "202302", "2023年2月", date(2023, 2, 1), date(2023, 2, 28)),
        (
            Period("mch_year", 2024),
            "2024FY",
            "2024妇幼年度（2023年10月—2024年9月）",
            date(2023, 10, 1),
            date(2024, 9, 30),
        ),
    ],
)
def test_code_label_and_bounds(period: Period, code: str, label: str, start: date, end: date) -> None:
    assert period.code == code
    assert str(period) == code
    assert period.label_zh == label
    assert period.start == start
    assert period.end == end
    assert period.days == (end - start).days + 1


def test_short_label_differs_only_for_mch_year() -> None:
    assert Period("mch_year", 2024).short_label_zh == "2024妇幼年度"
    for p in (Period("year", 2024), Period("quarter", 2024, 2), Period("month", 2024, 11)):
        assert p.short_label_zh == p.label_zh


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("week", 2024, 1), "未知的报告期类型"),
        (("year", 1948, 0), "1949–2100"),
        (("year", 2101, 0), "1949–2100"),
        (("quarter", 2024, 0), "季度应为 1–4"),
        (("quarter", 2024, 5), "季度应为 1–4"),
        (("month", 2024, 13), "月份应为 1–12"),
        (("year", 2024, 1), "序号应为 0"),
        (("mch_year", 2024, 3), "序号应为 0"),
        (("year", "2024", 0), "年份应为整数"),
        (("year", True, 0), "年份应为整数"),
    ],
)
def test_invalid_construction(args: tuple, fragment: str) -> None:
    with pytest.raises(PeriodError, match=fragment):
        Period(*args)


def test_period_error_is_value_error() -> None:
    assert issubclass(PeriodError, ValueError)


def test_hashable_and_equal_by_fields() -> None:
    assert Period("quarter", 2024, 1) == parse_period("2024Q1")
    assert len({Period("month", 2024, 3), parse_period("202403"), parse_period("2024年3月")}) == 1
    assert Period("year", 2024) != Period("mch_year", 2024)


def test_contains() -> None:
    fy = Period("mch_year", 2024)
    assert fy.contains(date(2023, 10, 1))
    assert fy.contains(date(2024, 9, 30))
    assert not fy.contains(date(2023, 9, 30))
    assert not fy.contains(date(2024, 10, 1))
    assert fy.contains(datetime(2024, 9, 30, 23, 59))


# --- neighbours ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "prev", "nxt", "last_year"),
    [
        ("2024", "2023", "2025", "2023"),
        ("2024Q1", "2023Q4", "2024Q2", "2023Q1"),
        ("2024Q4", "2024Q3", "2025Q1", "2023Q4"),
        ("202401", "202312", "202402", "202301"),
        ("202412", "202411", "202501", "202312"),
        ("2024FY", "2023FY", "2025FY", "2023FY"),
    ],
)
def test_neighbours(code: str, prev: str, nxt: str, last_year: str) -> None:
    p = parse_period(code)
    assert p.previous().code == prev
    assert p.next().code == nxt
    assert p.same_period_last_year().code == last_year


def test_neighbours_stop_at_the_year_limits() -> None:
    with pytest.raises(PeriodError):
        Period("month", MIN_YEAR, 1).previous()
    with pytest.raises(PeriodError):
        Period("year", MAX_YEAR).next()


@given(periods())
def test_previous_and_next_are_adjacent_and_inverse(p: Period) -> None:
    assert p.next().previous() == p
    assert p.previous().next() == p
    assert p.previous().end + timedelta(days=1) == p.start
    assert p.end + timedelta(days=1) == p.next().start
    assert p.previous() < p < p.next()


@given(periods())
def test_same_period_last_year_is_one_year_back(p: Period) -> None:
    q = p.same_period_last_year()
    assert q.type == p.type
    assert q.index == p.index
    assert q.start == p.start.replace(year=p.start.year - 1)


# --- ordering -----------------------------------------------------------------------------------------


def test_mixed_types_sort_by_start_then_length() -> None:
    codes = ["2024", "2024Q1", "202401", "2024FY", "202312", "2023Q4", "202402"]
    ordered = [p.code for p in sorted(parse_period(c) for c in codes)]
    # 2023Q4 and 2024FY both start on 1 Oct 2023; the shorter one comes first.
    assert ordered == ["2023Q4", "2024FY", "202312", "202401", "2024Q1", "2024", "202402"]


@given(periods(), periods())
def test_ordering_is_consistent_with_equality(a: Period, b: Period) -> None:
    assert (a == b) == (a.sort_key == b.sort_key)
    assert (a < b) == (a.sort_key < b.sort_key)
    assert (a <= b) == (a < b or a == b)
    assert (a > b) == (b < a)


def test_comparison_with_other_types_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = Period("year", 2024) < "2025"  # type: ignore[operator]
    assert Period("year", 2024) != "2024"


# --- parsing ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("2024", "2024"),
        ("2024年", "2024"),
        ("2024年度", "2024"),
        ("2024Q1", "2024Q1"),
        ("2024q1", "2024Q1"),
        ("2024-Q1", "2024Q1"),
        ("2024-q3", "2024Q3"),
        ("2024年Q2", "2024Q2"),
        ("2024年第1季度", "2024Q1"),
        ("2024年一季度", "2024Q1"),
        ("2024年第四季度", "2024Q4"),
        ("2024年3季度", "2024Q3"),
        ("2024-03", "202403"),
        ("2024-3", "202403"),
        ("2024/11", "202411"),
        ("2024.03", "202403"),
        ("2024年3月", "202403"),
        ("2024年03月", "202403"),
        ("2024年12月份", "202412"),
        ("2024年十一月", "202411"),
        ("202403", "202403"),
        ("2024FY", "2024FY"),
        ("2024fy", "2024FY"),
        ("2024妇幼年度", "2024FY"),
        ("2024年妇幼年度", "2024FY"),
        ("2024妇幼年度（2023年10月—2024年9月）", "2024FY"),
        ("2024妇幼年度(2023年10月-2024年9月)", "2024FY"),
        ("２０２４Ｑ１", "2024Q1"),  # full-width
        ("２０２４年３月", "202403"),
        ("  2024 年 第 1 季度 ", "2024Q1"),
        ("2024\u3000Q1", "2024Q1"),  # ideographic space
    ],
)
def test_parse_friendly_inputs(text: str, code: str) -> None:
    assert parse_period(text).code == code


@given(periods())
def test_code_and_labels_round_trip(p: Period) -> None:
    assert parse_period(p.code) == p
    assert parse_period(p.label_zh) == p
    assert parse_period(p.short_label_zh) == p


def test_parse_passes_periods_through_and_checks_type() -> None:
    p = Period("quarter", 2024, 2)
    assert parse_period(p) is p
    assert parse_period("2024Q2", "quarter") == p
    with pytest.raises(PeriodError, match="“2024”是年度，这里需要季度"):
        parse_period("2024", "quarter")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2024Q5", "无法识别的报告期“2024Q5”：季度应为 1–4"),
        ("2024年第5季度", "无法识别的报告期“2024年第5季度”：季度应为 1–4"),
        ("202413", "无法识别的报告期“202413”：月份应为 1–12"),
        ("2024-00", "无法识别的报告期“2024-00”：月份应为 1–12"),
        ("1900", "无法识别的报告期“1900”：年份应在 1949–2100 之间"),
        ("2101Q1", "无法识别的报告期“2101Q1”：年份应在 1949–2100 之间"),
        ("abc", "无法识别的报告期“abc”：可写作 2024、2024Q1、202403 或 2024FY"),
        ("2024H1", "无法识别的报告期“2024H1”"),
        ("20240301", "无法识别的报告期“20240301”"),
        ("24Q1", "无法识别的报告期“24Q1”"),
        ("", "报告期为空"),
        ("   ", "报告期为空"),
        ("2024妇幼年度（2023年9月—2024年8月）", "2024妇幼年度应为2023年10月—2024年9月"),
    ],
)
def test_parse_errors_name_the_text(text: str, message: str) -> None:
    with pytest.raises(PeriodError) as info:
        parse_period(text)
    assert message in str(info.value)
    if text.strip():
        assert f"“{text.strip()}”" in str(info.value)


def test_parse_rejects_non_text() -> None:
    with pytest.raises(PeriodError, match="报告期应为文字"):
        parse_period(2024)  # type: ignore[arg-type]


# --- period_for_date, periods_between -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_type", "day", "code"),
    [
        ("year", date(2024, 12, 31), "2024"),
        ("quarter", date(2024, 3, 31), "2024Q1"),
        ("quarter", date(2024, 4, 1), "2024Q2"),
        ("month", date(2024, 2, 29), "202402"),
        ("mch_year", date(2024, 9, 30), "2024FY"),
        ("mch_year", date(2024, 10, 1), "2025FY"),
        ("mch_year", date(2024, 1, 15), "2024FY"),
        ("month", datetime(2024, 5, 6, 12, 0), "202405"),
    ],
)
def test_period_for_date(period_type: str, day: date, code: str) -> None:
    assert period_for_date(period_type, day).code == code


@given(st.sampled_from(PERIOD_TYPES), st.dates(date(MIN_YEAR, 1, 1), date(MAX_YEAR - 1, 9, 30)))
def test_period_for_date_contains_the_date(period_type: str, day: date) -> None:
    p = period_for_date(period_type, day)
    assert p.type == period_type
    assert p.contains(day)


def test_period_for_date_rejects_unknown_type() -> None:
    with pytest.raises(PeriodError, match="未知的报告期类型“week”"):
        period_for_date("week", date(2024, 1, 1))


def test_periods_between_same_type() -> None:
    assert [p.code for p in periods_between("quarter", "2023Q3", "2024Q2")] == [
        "2023Q3",
        "2023Q4",
        "2024Q1",
        "2024Q2",
    ]
    assert [p.code for p in periods_between("year", Period("year", 2020), "2022")] == ["2020", "2021", "2022"]
    assert periods_between("month", "202403", "202403") == [Period("month", 2024, 3)]
    assert periods_between("month", "202405", "202403") == []


def test_periods_between_other_types_cover_the_span() -> None:
    months = periods_between("month", "2024Q1", "2024Q2")
    assert [p.code for p in months] == ["202401", "202402", "202403", "202404", "202405", "202406"]
    # A calendar year overlaps two 妇幼 years.
    assert [p.code for p in periods_between("mch_year", "2024", "2024")] == ["2024FY", "2025FY"]
    assert [p.code for p in periods_between("year", date(2023, 6, 1), date(2024, 1, 1))] == ["2023", "2024"]


def test_periods_between_bad_input() -> None:
    with pytest.raises(PeriodError, match="2024Q9"):
        periods_between("quarter", "2024Q9", "2025Q1")


# --- current_open_period, deadline ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period_type", "today", "code"),
    [
        ("year", date(2025, 1, 10), "2024"),
        ("year", date(2024, 12, 31), "2023"),  # 2024 has not ended on its last day
        ("quarter", date(2024, 4, 15), "2024Q1"),
        ("quarter", date(2024, 1, 5), "2023Q4"),
        ("month", date(2024, 3, 5), "202402"),
        ("month", date(2024, 1, 5), "202312"),
        ("mch_year", date(2024, 11, 1), "2024FY"),
        ("mch_year", date(2024, 9, 30), "2023FY"),
    ],
)
def test_current_open_period(period_type: str, today: date, code: str) -> None:
    assert current_open_period(period_type, today).code == code


@pytest.mark.parametrize(
    ("code", "rule", "due"),
    [
        ("2024", "+20d", date(2025, 1, 20)),
        ("202402", "+20d", date(2024, 3, 20)),
        ("202403", "+20d", date(2024, 4, 20)),
        ("202412", "+20d", date(2025, 1, 20)),
        ("2024Q1", "+15d", date(2024, 4, 15)),
        ("2024FY", "+20d", date(2024, 10, 20)),
        ("2024", "20d", date(2025, 1, 20)),
        ("2024", " +20D ", date(2025, 1, 20)),
        ("2024", "＋２０ｄ", date(2025, 1, 20)),
        ("202401", "+1m", date(2024, 2, 29)),
        ("2024Q4", "+2m", date(2025, 2, 28)),
        ("2024", "+0d", date(2024, 12, 31)),
    ],
)
def test_deadline(code: str, rule: str, due: date) -> None:
    assert deadline(parse_period(code), rule) == due
    assert deadline(code, rule) == due


@pytest.mark.parametrize("rule", ["", None, "   "])
def test_deadline_without_rule(rule: str | None) -> None:
    assert deadline(Period("year", 2024), rule) is None


@pytest.mark.parametrize("rule", ["20", "-20d", "+20w", "次月20日", "+d"])
def test_deadline_bad_rule(rule: str) -> None:
    with pytest.raises(PeriodError, match=re.escape(f"无法识别的截止规则“{rule}”")):
        deadline(Period("year", 2024), rule)
