"""save_value: what a clerk types is validated, stored with its audit row, or refused with nothing written."""

from __future__ import annotations

import pytest

from desktop.core.value_rules import ValueRefused
from desktop.ops.values import save_value
from desktop.store import elements, orgunits, values


@pytest.fixture
def form(db):
    orgunits.insert_org_unit(db, code="370725", name="昌乐县", level=1, unit_type="county")
    elements.insert_data_element(db, code="BEDS", name="床位数", unit="张", value_type="integer", min_value=0)
    elements.insert_data_element(
        db, code="RATE", name="规范管理率", unit="%", value_type="percent", decimals=2
    )
    return db


def _save(conn, element, raw, period="2024", **kw):
    return save_value(
        conn, element_code=element, org_unit_code="370725", period=period, raw=raw, user="李四", **kw
    )


def test_saves_and_audits(form):
    result = _save(form, "BEDS", "3,821")
    assert result.action == "insert" and result.value == 3821 and result.changes.values
    assert not form.in_transaction  # committed at once: no Save button anywhere
    stored = values.get_value(form, elements.get_element_by_code(form, "BEDS").id, "2024", 1)
    assert stored.value == 3821 and stored.stored_by == "李四"


def test_period_is_stored_in_canonical_form(form):
    _save(form, "BEDS", "12", period="2024年第1季度")
    assert form.execute("SELECT period FROM data_value").fetchone()[0] == "2024Q1"


def test_percent_keeps_decimals(form):
    assert _save(form, "RATE", "61.385%").value == pytest.approx(61.39)


@pytest.mark.parametrize(
    ("element", "raw", "message"),
    [
        ("BEDS", "12.5", "床位数”必须是整数"),
        ("BEDS", "十二", "床位数”必须是整数"),
        ("BEDS", "-3", "不能小于 0"),
        ("RATE", "abc", "必须是数字"),
    ],
)
def test_refused_values_write_nothing(form, element, raw, message):
    with pytest.raises(ValueRefused) as info:
        _save(form, element, raw)
    assert message in info.value.message
    assert form.execute("SELECT count(*) FROM data_value").fetchone()[0] == 0
    assert form.execute("SELECT count(*) FROM audit_log").fetchone()[0] == 0


def test_unknown_codes_and_periods_are_refused(form):
    with pytest.raises(ValueRefused, match="未知的数据项代码"):
        _save(form, "NOPE", "1")
    with pytest.raises(ValueRefused, match="未知的单位代码"):
        save_value(form, element_code="BEDS", org_unit_code="999", period="2024", raw="1", user="x")
    with pytest.raises(ValueRefused, match="2024Q5"):
        _save(form, "BEDS", "1", period="2024Q5")


def test_empty_input_deletes(form):
    _save(form, "BEDS", "10")
    assert _save(form, "BEDS", "").action == "delete"
    assert _save(form, "BEDS", "  ").action is None
