"""What the entry screens call: batches of typed values (all-or-nothing), undo snapshots, comments, flags,
provenance, and the read side (a form, the 代报 grid, the periods offered)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.value_rules import ValueRefused
from desktop.ops.entry import (
    CellKey,
    CellRefused,
    CellState,
    cell_history,
    read_cells,
    restore_cells,
    save_cells,
    set_comment,
    set_follow_up,
    set_provenance,
)
from desktop.ops.forms import allowed_periods, filers, load_form, load_proxy_grid, rate_pairs
from desktop.store import elements

HOSPITAL, QIAOGUAN = "370725-01", "370725101-01"


def _count(conn, table):
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_a_batch_saves_every_cell_with_its_audit_row(demo):
    keys = [CellKey(e, HOSPITAL, "2025") for e in ("BEDS_APPROVED", "BEDS_ACTUAL", "HEALTH_TECH")]
    audit = _count(demo, "audit_log")
    result = save_cells(demo, list(zip(keys, ["1,300", "1520", "2100"], strict=True)), user="李娜")
    assert result.changed == tuple(keys) and result.changes.values
    assert [s.value for s in read_cells(demo, keys).values()] == [1300, 1520, 2100]
    assert _count(demo, "audit_log") == audit + 3


def test_a_bad_value_anywhere_in_a_batch_writes_nothing(demo):
    keys = [CellKey(e, HOSPITAL, "2025") for e in ("BEDS_APPROVED", "BEDS_ACTUAL", "HEALTH_TECH")]
    values_before, audit = _count(demo, "data_value"), _count(demo, "audit_log")
    with pytest.raises(CellRefused) as info:
        save_cells(demo, list(zip(keys, ["1300", "15.5", "2100"], strict=True)), user="李娜")
    assert info.value.index == 1 and info.value.key == keys[1]
    assert info.value.message == "“实有床位”必须是整数，不能填“15.5”"
    assert (_count(demo, "data_value"), _count(demo, "audit_log")) == (values_before, audit)


def test_restore_puts_a_cell_back_exactly_with_an_audit_reason(demo):
    key = CellKey("BEDS_ACTUAL", HOSPITAL, "2024")
    before = read_cells(demo, [key])[key]
    save_cells(demo, [(key, "1600")], user="李娜")
    restore_cells(demo, {key: before}, user="李娜", reason="撤销")
    assert read_cells(demo, [key])[key] == before
    newest = cell_history(demo, key)[0]
    assert (newest.old_value, newest.new_value, newest.reason, newest.changed_by) == (
        1600,
        1519,
        "撤销",
        "李娜",
    )


def test_restoring_an_empty_state_deletes(demo):
    key = CellKey("BEDS_ACTUAL", HOSPITAL, "2025")
    save_cells(demo, [(key, "10")], user="李娜")
    restore_cells(demo, {key: CellState()}, user="李娜", reason="撤销")
    assert read_cells(demo, [key])[key] == CellState()
    assert cell_history(demo, key)[0].action == "delete"


def test_comment_and_follow_up(demo):
    key = CellKey("BEDS_ACTUAL", HOSPITAL, "2024")
    set_comment(demo, key, " 含新院区 ", user="李娜")
    set_follow_up(demo, key, True, user="王秀英")
    state = read_cells(demo, [key])[key]
    assert state.comment == "含新院区" and state.follow_up and state.value == 1519
    history = cell_history(demo, key)
    assert history[0].reason == "标记为需跟进" and history[1].new_comment == "含新院区"
    empty = CellKey("BEDS_ACTUAL", HOSPITAL, "2025")
    set_comment(demo, empty, "新院区二期未投用", user="李娜")  # a comment may stand on an empty cell
    assert read_cells(demo, [empty])[empty].comment == "新院区二期未投用"
    with pytest.raises(ValueRefused, match="还没有填数"):
        set_follow_up(demo, CellKey("NURSES", HOSPITAL, "2025"), True, user="王秀英")


def test_provenance_of_an_estimated_denominator(demo):
    key = CellKey("HTN_PATIENTS", "370725101", "2024")
    result = set_provenance(
        demo, key, provenance="estimate", formula="18岁及以上常住人口 × 25.2%", source="营养与慢性病状况报告（2015年）",
        raw_value="14,999", user="李娜",
    )  # fmt: skip
    assert result.changes.values
    state = read_cells(demo, [key])[key]
    assert (state.value, state.provenance, state.provenance_formula) == (
        14999,
        "estimate",
        "18岁及以上常住人口 × 25.2%",
    )
    with pytest.raises(ValueRefused, match="须写明算法"):
        set_provenance(demo, key, provenance="estimate", formula="", source="x", user="李娜")
    with pytest.raises(ValueRefused, match="分母来源应为"):
        set_provenance(demo, key, provenance="guess", user="李娜")
    set_provenance(demo, key, provenance="quota", source="市卫健委下达任务", user="李娜")
    assert read_cells(demo, [key])[key].provenance == "quota"


def test_load_form_brings_last_period_last_year_checks_and_state(demo):
    form = load_form(demo, data_set_code="GW-01", org_unit_code="370725101", period="2024Q2")
    assert form.previous_period.code == "2024Q1" and form.last_year_period.code == "2023Q2"
    quota = elements.get_element_by_code(demo, "CERVICAL_QUOTA").id
    assert form.current[quota].provenance == "quota" and form.previous[quota] is not None
    assert form.state.state == "draft" and form.checks
    pairs = {p.numerator: p for p in form.rates}
    assert pairs["CERVICAL_SCREENED"].denominator == "CERVICAL_QUOTA"
    assert pairs["CERVICAL_SCREENED"].compute(103, 100) == pytest.approx(103.0)
    assert pairs["CERVICAL_SCREENED"].compute(103, 0) is None


def test_rate_pairs_only_for_rows_on_the_form(demo):
    rows = elements.list_data_set_rows(demo, elements.get_data_set_by_code(demo, "ZY-01").id)
    assert rate_pairs(demo, rows) == []


def test_proxy_grid_of_a_township_health_centre(demo):
    grid = load_proxy_grid(demo, data_set_code="ZY-03", filer_code=QIAOGUAN, period="2024")
    assert [u.code for u in grid.units] == [f"370725101-0{i}" for i in range(2, 7)]
    assert [r.row_code for r in grid.rows] == ["01", "01.1", "01.2", "01.3", "02"]
    clinic = next(u for u in grid.units if u.code == "370725101-04")
    assert [c.rule_code for c in grid.checks[clinic.id] if not c.passed] == ["ZY03-03"]
    assert QIAOGUAN in {u.code for u in filers(demo)}


def test_periods_offered_reach_back_to_stored_data(demo):
    ds = elements.get_data_set_by_code(demo, "ZY-01")
    periods = [p.code for p in allowed_periods(demo, ds, today=date(2026, 11, 23))]
    assert periods[0] == "2025" and periods[-1] == "2020" and periods == sorted(periods, reverse=True)
    quarterly = [
        p.code for p in allowed_periods(demo, elements.get_data_set_by_code(demo, "GW-01"), date(2024, 5, 2))
    ]
    assert quarterly[0] == "2024Q1" and "2023Q1" in quarterly and "2024Q2" not in quarterly
