"""Coercing typed text to an element's type, with a message that names the element."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.value_rules import ElementRule, ValueRefused, coerce_value

BEDS = ElementRule(name="床位数", value_type="integer", min_value=0, unit="张")
RATE = ElementRule(name="筛查率", value_type="percent", decimals=2, min_value=0)
FLAG = ElementRule(name="是否设置发热门诊", value_type="yesno")
DAY = ElementRule(name="投用日期", value_type="date")


@pytest.mark.parametrize(
    ("rule", "raw", "expected"),
    [
        (BEDS, "120", 120),
        (BEDS, "１２０", 120),  # full-width digits from a Chinese IME
        (BEDS, "1,234", 1234),
        (BEDS, "1，234", 1234),
        (BEDS, "120张", 120),
        (BEDS, 7, 7),
        (BEDS, "", None),
        (BEDS, None, None),
        (RATE, "103.125%", 103.13),  # above 100 % is normal against a task quota; 四舍五入
        (RATE, "５０％", 50.0),
        (FLAG, "是", 1),
        (FLAG, "否", 0),
        (DAY, "2024年3月5日", "2024-03-05"),
        (DAY, "2024/3/5", "2024-03-05"),
    ],
)
def test_accepts(rule, raw, expected):
    assert coerce_value(raw, rule) == expected


@pytest.mark.parametrize(
    ("rule", "raw", "fragment"),
    [
        (BEDS, "12.5", "“床位数”必须是整数"),
        (BEDS, "-1", "不能小于 0"),
        (BEDS, "nan", "有限"),
        (RATE, "五十", "必须是数字"),
        (FLAG, "也许", "只能填“是”或“否”"),
        (DAY, "2024-02-30", "不存在"),
        (DAY, "下周", "应填日期"),
    ],
)
def test_refuses_with_a_message_naming_the_element(rule, raw, fragment):
    with pytest.raises(ValueRefused) as info:
        coerce_value(raw, rule)
    assert fragment in info.value.message


@given(st.text())
def test_any_text_is_either_a_value_or_a_clear_refusal(text):
    for rule in (BEDS, RATE, FLAG, DAY):
        try:
            coerce_value(text, rule)
        except ValueRefused as exc:
            assert exc.message


def test_logical_values_are_only_yes_no_answers():
    assert coerce_value(True, FLAG) == 1 and coerce_value(False, FLAG) == 0
    with pytest.raises(ValueRefused, match="不能填逻辑值“TRUE”"):
        coerce_value(True, BEDS)
    with pytest.raises(ValueRefused, match="逻辑值"):
        coerce_value(False, RATE)
