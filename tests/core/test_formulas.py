"""Indicator formulas: safe parsing, missing data stays missing, roll-ups sum elements instead of averaging rates."""

from __future__ import annotations

import contextlib
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.formulas import MAX_DEPTH, Formula, FormulaError, compute_indicator, rollup

VALUES = {"DOC_PRACT": 1200.0, "DOC_ASSIST": 390.0, "POP_RESIDENT": 574000.0, "A": 5.0, "B": 3.0, "C": 2.0}


@pytest.mark.parametrize(
    ("text", "codes", "expected"),
    [
        ("DOC_PRACT + DOC_ASSIST", {"DOC_PRACT", "DOC_ASSIST"}, 1590.0),
        ("POP_RESIDENT", {"POP_RESIDENT"}, 574000.0),
        ("(A + B) - C", {"A", "B", "C"}, 6.0),
        ("A + B * C", {"A", "B", "C"}, 11.0),  # * binds tighter than +
        ("(A + B) * C", {"A", "B", "C"}, 16.0),
        ("A - B - C", {"A", "B", "C"}, 0.0),  # left to right
        ("A / B / C", {"A", "B", "C"}, 5 / 3 / 2),
        ("-A + 10", {"A"}, 5.0),
        ("--A", {"A"}, 5.0),
        ("+A", {"A"}, 5.0),
        ("POP_RESIDENT / 1000", {"POP_RESIDENT"}, 574.0),
        ("0.252 * POP_RESIDENT", {"POP_RESIDENT"}, 0.252 * 574000),  # 高血压 estimated denominator
        (".5*A", {"A"}, 2.5),
        ("12", set(), 12.0),
        ("（Ａ＋Ｂ）×Ｃ", {"A", "B", "C"}, 16.0),  # full-width, as typed with a Chinese IME
        ("A ÷ C", {"A", "C"}, 2.5),
        ("  A\t+\nB  ", {"A", "B"}, 8.0),
    ],
)
def test_parse_and_evaluate(text: str, codes: set[str], expected: float) -> None:
    formula = Formula.parse(text)
    assert formula.codes == codes
    assert formula.evaluate(VALUES) == pytest.approx(expected)
    assert str(formula) == text


def test_long_flat_sums_do_not_nest() -> None:
    # 2,000 terms would blow Python's recursion limit if every + nested one level deeper.
    formula = Formula.parse(" + ".join(["A"] * 2000))
    assert formula.evaluate({"A": 1.0}) == 2000.0


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "公式为空"),
        ("   ", 0, "公式为空"),
        ("DOC_PRACT +", 11, "末尾缺少运算数"),
        ("DOC_PRACT + + ", 14, "缺少运算数"),
        ("(A + B", 6, "配对"),
        ("A + B)", 5, "第 6 个字符处多了一个“)”"),
        ("doc_pract", 0, "大写字母"),
        ("2A", 1, "缺少运算符"),
        ("A B", 2, "缺少运算符"),
        ("A + 医师数", 4, "无法识别的字符“医”"),
        ("A ^ 2", 2, "无法识别的字符“^”"),
        ("1.2.3", 0, "数字写法有误（“1.2.3”）"),
        ("A + 3.", 4, "数字写法有误"),
        ("A + .", 4, "数字写法有误"),
        ("* A", 0, "缺少运算数"),
        ("()", 1, "缺少运算数"),
        ("(" * (MAX_DEPTH + 5) + "A" + ")" * (MAX_DEPTH + 5), MAX_DEPTH + 1, "嵌套"),
        ("-" * 5000 + "A", MAX_DEPTH + 1, "嵌套"),
    ],
)
def test_syntax_errors_name_the_position_in_chinese(text: str, position: int, fragment: str) -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.parse(text)
    assert caught.value.position == position
    assert fragment in caught.value.message
    assert isinstance(caught.value, ValueError)  # callers may catch ValueError


def test_full_width_error_position_points_into_the_typed_text() -> None:
    with pytest.raises(FormulaError) as caught:
        Formula.parse("（Ａ＋）")
    assert caught.value.position == 3
    assert "第 4 个字符" in caught.value.message


def test_non_text_is_a_formula_error() -> None:
    with pytest.raises(FormulaError):
        Formula.parse(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "values",
    [
        {"A": 5.0, "B": 3.0},  # C missing
        {"A": 5.0, "B": 3.0, "C": None},
        {"A": 5.0, "B": 3.0, "C": math.nan},
    ],
)
def test_missing_data_stays_missing(values: dict) -> None:
    assert Formula.parse("(A + B) - C").evaluate(values) is None


def test_zero_is_data_not_missing() -> None:
    assert Formula.parse("A + B").evaluate({"A": 0.0, "B": 0.0}) == 0.0


def test_division_by_zero_inside_a_formula_has_no_value() -> None:
    assert Formula.parse("A / (B - B)").evaluate({"A": 1.0, "B": 2.0}) is None


def test_overflow_has_no_value() -> None:
    assert Formula.parse("A * A * A").evaluate({"A": 1e200}) is None


def test_formulas_compare_by_text() -> None:
    assert Formula.parse("A+B") == Formula.parse("A+B")
    assert Formula.parse("A+B") != Formula.parse("B+A")


def test_compute_indicator_density_per_thousand() -> None:
    # 每千常住人口执业(助理)医师数 = (执业 + 助理) / 常住人口 × 1000
    value = compute_indicator(
        Formula.parse("DOC_PRACT + DOC_ASSIST"), Formula.parse("POP_RESIDENT"), 1000, VALUES
    )
    assert value == pytest.approx(1590 / 574000 * 1000)
    assert round(value, 2) == 2.77


@pytest.mark.parametrize(
    "values",
    [
        {"DOC_PRACT": 1200.0, "DOC_ASSIST": 390.0},  # denominator missing
        {"DOC_PRACT": 1200.0, "DOC_ASSIST": 390.0, "POP_RESIDENT": 0.0},  # denominator zero
        {"DOC_PRACT": 1200.0, "POP_RESIDENT": 574000.0},  # numerator incomplete
    ],
)
def test_compute_indicator_none_without_a_usable_denominator_or_numerator(values: dict) -> None:
    numerator = Formula.parse("DOC_PRACT + DOC_ASSIST")
    assert compute_indicator(numerator, Formula.parse("POP_RESIDENT"), 1000, values) is None


def test_compute_indicator_without_denominator_is_a_scaled_count() -> None:
    assert compute_indicator(Formula.parse("A + B"), None, 1, VALUES) == 8.0


MANAGED = Formula.parse("HBP_MANAGED")
PATIENTS = Formula.parse("HBP_PATIENTS")


def test_rollup_sums_elements_instead_of_averaging_rates() -> None:
    townships = {
        "宝城街道": {"HBP_MANAGED": 45.0, "HBP_PATIENTS": 50.0},  # 90 %
        "朱刘街道": {"HBP_MANAGED": 10.0, "HBP_PATIENTS": 100.0},  # 10 %
    }
    result = rollup(townships, MANAGED, PATIENTS, 100)
    assert result.value == pytest.approx(55 / 150 * 100)  # 36.67 %
    assert round(result.value, 2) == 36.67
    assert result.value != pytest.approx(50.0)  # the mean of the two rates would be wrong
    assert (result.reported_units, result.total_units) == (2, 2)
    assert not result.is_partial
    assert result.sums == {"HBP_MANAGED": 55.0, "HBP_PATIENTS": 150.0}


def test_rollup_leaves_out_units_missing_any_code_and_says_so() -> None:
    townships = {
        "宝城街道": {"HBP_MANAGED": 45.0, "HBP_PATIENTS": 50.0},
        "朱刘街道": {"HBP_MANAGED": 10.0, "HBP_PATIENTS": 100.0},
        "五图街道": {"HBP_MANAGED": 30.0},  # denominator not reported: neither side may count
        "乔官镇": {},
    }
    result = rollup(townships, MANAGED, PATIENTS, 100)
    assert result.value == pytest.approx(55 / 150 * 100)
    assert (result.reported_units, result.total_units) == (2, 4)
    assert result.is_partial
    assert result.missing_units == ("五图街道", "乔官镇")
    assert result.coverage_zh == "4 个单位中 2 个已报"


def test_rollup_sums_per_code_for_composite_formulas() -> None:
    units = {
        1: {"DOC_PRACT": 100.0, "DOC_ASSIST": 20.0, "POP_RESIDENT": 50000.0},
        2: {"DOC_PRACT": 50.0, "DOC_ASSIST": 10.0, "POP_RESIDENT": 20000.0},
    }
    result = rollup(units, Formula.parse("DOC_PRACT + DOC_ASSIST"), Formula.parse("POP_RESIDENT"), 1000)
    assert result.value == pytest.approx(180 / 70000 * 1000)


@pytest.mark.parametrize(
    "units",
    [
        {},
        {"宝城街道": {}, "朱刘街道": {"HBP_MANAGED": 1.0}},
        {"宝城街道": {"HBP_MANAGED": 0.0, "HBP_PATIENTS": 0.0}},  # reported, but the denominator is 0
    ],
)
def test_rollup_without_a_usable_total_has_no_value(units: dict) -> None:
    assert rollup(units, MANAGED, PATIENTS, 100).value is None


def test_rollup_without_denominator_sums_counts() -> None:
    units = {"a": {"SCREENED": 30000.0}, "b": {"SCREENED": 38059.0}, "c": {"SCREENED": None}}
    result = rollup(units, Formula.parse("SCREENED"), None, 1)
    assert result.value == 68059.0
    assert result.coverage_zh == "3 个单位中 2 个已报"


_ALPHABET = st.sampled_from([*"AB_Z09.+-*/() （）＋×÷a你\t", "DOC", "X1", "1.5"])


@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_random_text_raises_nothing_but_formula_error(text: str) -> None:
    try:
        formula = Formula.parse(text)
    except FormulaError as error:
        assert error.message
        assert 0 <= error.position <= len(text)
        return
    values = dict.fromkeys(formula.codes, 2.0)
    result = formula.evaluate(values)
    assert result is None or math.isfinite(result)


@given(st.text(max_size=60))
def test_arbitrary_unicode_raises_nothing_but_formula_error(text: str) -> None:
    with contextlib.suppress(FormulaError):
        Formula.parse(text)
