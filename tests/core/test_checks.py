"""The check notation: published relations with row codes, their variants, other periods, and clear errors."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.core.checks import (
    CURRENT,
    LAST_YEAR,
    PREVIOUS,
    RuleSyntaxError,
    evaluate_rule,
    parse_rule,
)


def lookup_from(current=None, previous=None, last_year=None):
    data = {CURRENT: current or {}, PREVIOUS: previous or {}, LAST_YEAR: last_year or {}}
    return lambda code, which: data[which].get(code)


def outcome(text, current=None, previous=None, last_year=None):
    return evaluate_rule(parse_rule(text), lookup_from(current, previous, last_year))


# --- reading -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("01>02+03+04", ("01", "02", "03", "04")),
        ("04≥05", ("04", "05")),
        ("A1≤A2", ("A1", "A2")),
        ("a1 <= a2", ("A1", "A2")),
        ("01=02+03", ("01", "02", "03")),
        ("０１＞０２＋０３", ("01", "02", "03")),  # full-width digits and signs, as pasted from a Word 说明
        ("01 ≧ 02", ("01", "02")),
        ("01 ≦ 02", ("01", "02")),
        ("01≮02", ("01", "02")),
        ("03.1+03.2≥03.5", ("03.1", "03.2", "03.5")),
        ("01.1≥01.1.1≥01.1.1.1", ("01.1", "01.1.1", "01.1.1.1")),
        ("[10] ≥ 【11】", ("10", "11")),
        ("02 ≤ 01 × 125%", ("02", "01")),
        ("02 ≤ 01 * 125 ％", ("02", "01")),
        ("|变化率(02)| ≤ 20%", ("02",)),
        ("abs(change(02)) <= 20%", ("02",)),
        ("|同比(05)| ≤ 30%", ("05",)),
        ("上期(01) ≤ 01", ("01",)),
        ("lastyear(01) ≤ 01", ("01",)),
        ("02>0 → 03>0", ("02", "03")),
        ("02>0 -> 03>0", ("02", "03")),
        ("02>0 => 03>0", ("02", "03")),
        ("若02>0，则03>0", ("02", "03")),
        ("如果 02 > 0 那么 03 > 0", ("02", "03")),
        ("01 − 02 ≥ 0", ("01", "02")),  # U+2212 minus sign
        ("(01 - 02) ÷ 02 ≤ 50%", ("01", "02")),
    ],
)
def test_reads_published_relations_and_their_variants(text, codes):
    rule = parse_rule(text)
    assert rule.row_codes == codes
    assert rule.text == text


def test_other_periods_are_noted():
    assert parse_rule("|change(01)| ≤ 5%").uses_previous
    assert not parse_rule("|change(01)| ≤ 5%").uses_last_year
    assert parse_rule("yoy(01) ≤ 5%").uses_last_year
    assert not parse_rule("01 ≥ 02").uses_previous


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "为空"),
        ("   ", "为空"),
        ("01", "缺少比较符号"),
        ("01 >", "公式不完整"),
        ("01 > 02 )", "多出了内容"),
        ("(01 > 02", "缺少“)”"),
        ("|01 > 02", "缺少与之配对的“|”"),
        ("01 > 02 ?", "“?”不能出现"),
        ("sum(01) > 0", "不认识“sum”"),
        ("上期 01 > 0", "后面应有括号"),
        ("上期(上期(01)) > 0", "不能写在另一个"),
        ("0 > 50%", "没有行代码"),
        ("01 > 5.5.5%", "不是百分数"),
        ("若01>0 02>0", "缺少“则”"),
        ("01 > " + "(" * 60 + "02" + ")" * 60, "嵌套过深"),
        ("01>" + "+02" * 200, "过长"),
    ],
)
def test_bad_rules_get_a_clear_chinese_message(text, fragment):
    with pytest.raises(RuleSyntaxError) as info:
        parse_rule(text)
    assert fragment in info.value.message


def test_unknown_codes_are_listed():
    assert parse_rule("01 ≥ 02 + 09").unknown_codes({"01", "02"}) == ["09"]


# --- evaluating ----------------------------------------------------------------------------------------


def test_sum_relation_passes_and_fails_with_the_numbers():
    assert outcome("03≥03.1+03.2", {"03": 10, "03.1": 6, "03.2": 4}).status == "pass"
    failed = outcome("03≥03.1+03.2", {"03": 9, "03.1": 6, "03.2": 4})
    assert failed.status == "fail" and not failed.passed
    assert failed.detail == "03 = 9，03.1+03.2 = 10"


def test_an_empty_row_counts_as_zero_but_an_untouched_rule_is_skipped():
    assert outcome("01 ≥ 02", {"02": 3}).status == "fail"  # total left empty, part filled
    skipped = outcome("01 ≥ 02", {})
    assert skipped.status == "skip" and skipped.passed and "还没有填" in skipped.detail


def test_strict_and_equal_comparisons_with_rates():
    assert outcome("01 > 02", {"01": 5, "02": 5}).status == "fail"
    assert (
        outcome("01 = 02 + 03", {"01": 0.3, "02": 0.1, "03": 0.2}).status == "pass"
    )  # 0.1+0.2 ≠ 0.3 in floats
    assert outcome("01 ≠ 02", {"01": 1, "02": 1}).status == "fail"
    assert outcome("01 ≥ 02 ≥ 03", {"01": 5, "02": 4, "03": 6}).detail == "02 = 4，03 = 6"


def test_change_against_the_previous_period():
    rule = "|变化率(02)| ≤ 20%"
    assert outcome(rule, {"02": 110}, previous={"02": 100}).status == "pass"
    failed = outcome(rule, {"02": 150}, previous={"02": 100})
    assert failed.status == "fail" and failed.detail == "|变化率(02)| = 50.0%（应 ≤ 20%）"
    assert outcome(rule, {"02": 40}, previous={"02": 100}).status == "fail"  # a fall counts too
    missing = outcome(rule, {"02": 150})
    assert missing.status == "skip" and "上期没有 02 行的数据" in missing.detail
    zero = outcome(rule, {"02": 150}, previous={"02": 0})
    assert zero.status == "skip" and "为 0" in zero.detail


def test_same_period_last_year():
    assert outcome("同比(05) ≤ 30%", {"05": 140}, last_year={"05": 100}).status == "fail"
    assert outcome("上年同期(05) ≤ 05", {"05": 140}, last_year={"05": 100}).status == "pass"


def test_literal_on_the_left_is_described_from_the_rows_side():
    assert outcome("0 < 01", {"01": 0, "02": 1}).detail in ("01 = 0（应 > 0）",)


def test_conditions():
    rule = "02>0 → 03>0"
    assert outcome(rule, {"02": 120, "03": 0}).status == "fail"
    assert outcome(rule, {"02": 120, "03": 5}).status == "pass"
    not_applicable = outcome(rule, {"02": 0, "03": 0})
    assert not_applicable.status == "skip" and "条件" in not_applicable.detail


def test_division_by_zero_is_skipped_not_raised():
    assert outcome("01 ÷ 02 ≤ 50%", {"01": 3, "02": 0}).status == "skip"


def test_values_of_the_sides_are_reported():
    result = outcome("03 ≥ 03.1 + 03.2", {"03": 9, "03.1": 6, "03.2": 4})
    assert result.values == {"03": 9.0, "03.1 + 03.2": 10.0}


# --- properties ----------------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(
    [*"0123456789.+-*/×÷()[]|<>=≥≤≧≦≠%AaBz ，,若则→上期变化率同比绝对值", "change", "prev", "abs", "->"]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(_ALPHABET, max_size=30).map("".join))
def test_any_text_parses_or_gets_a_parse_error(text):
    try:
        rule = parse_rule(text)
    except RuleSyntaxError as exc:
        assert exc.message and isinstance(exc.message, str)
    else:
        assert rule.row_codes


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_arbitrary_unicode_parses_or_gets_a_parse_error(text):
    with contextlib.suppress(RuleSyntaxError):
        parse_rule(text)


_CODES = st.sampled_from(["01", "02", "03.1", "A1", "10"])
_LEAF = _CODES | st.sampled_from(["0", "50%", "125%"])


def _expr(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(["+", "-", "×", "÷"]), children).map(
            lambda t: f"({t[0]}{t[1]}{t[2]})"
        ),
        st.tuples(st.sampled_from(["上期", "change", "同比", "abs"]), _LEAF).map(lambda t: f"{t[0]}({t[1]})"),
        children.map(lambda c: f"|{c}|"),
    )


_EXPRESSIONS = st.recursive(_LEAF, _expr, max_leaves=6)
_NUMBERS = st.none() | st.integers(-(10**6), 10**6) | st.floats(-1e6, 1e6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    _CODES,
    st.sampled_from(["≥", "≤", ">", "<", "=", "≠"]),
    _EXPRESSIONS,
    st.dictionaries(st.sampled_from([CURRENT, PREVIOUS, LAST_YEAR]), st.dictionaries(_CODES, _NUMBERS)),
)
def test_well_formed_rules_always_evaluate(left, op, right, data):
    rule = parse_rule(f"{left} {op} {right}")
    result = evaluate_rule(rule, lambda code, which: data.get(which, {}).get(code))
    assert result.status in ("pass", "fail", "skip")
    assert (result.status == "fail") == (not result.passed)
