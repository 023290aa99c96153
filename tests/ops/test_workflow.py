"""Review and sign on the demo county: submission refused by open checks, the signing order, locking, reopening,
and who has submitted (or is late) for a period."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.value_rules import ValueRefused
from desktop.ops.checks import explain
from desktop.ops.entry import CellKey, save_cells, set_comment, set_follow_up
from desktop.ops.values import save_value
from desktop.ops.workflow import WorkflowRefused, approve, completeness, reopen, review, submit
from desktop.store import elements, orgunits, workflow

HOSPITAL, TCM, VILLAGE, YINGQIU = "370725-01", "370725-02", "370725101-02", "370725102"


def _return(conn, ds="ZY-01", unit=TCM, period="2024"):
    return dict(data_set_code=ds, org_unit_code=unit, period=period)


def _state(conn, ds="ZY-01", unit=TCM, period="2024"):
    data_set = elements.get_data_set_by_code(conn, ds)
    org = orgunits.get_org_unit_by_code(conn, unit)
    return workflow.get_return_state(conn, data_set.id, org.id, period)


def _events(conn, ds="ZY-01", unit=TCM, period="2024"):
    data_set = elements.get_data_set_by_code(conn, ds)
    org = orgunits.get_org_unit_by_code(conn, unit)
    return workflow.list_return_events(conn, data_set.id, org.id, period)


def _sign_all(conn, **ret):
    submit(conn, **ret, user="李娜", contact_phone="0536-6212345")
    review(conn, **ret, user="王秀英")
    return approve(conn, **ret, user="张建国")


def test_a_return_nobody_touched_is_a_draft(demo):
    state = _state(demo)
    assert state.state == "draft" and state.submitted_by is None and not state.locked


def test_blocking_rule_refuses_submit_and_writes_nothing(demo):
    ret = _return(demo, "GW-02", YINGQIU)
    with pytest.raises(WorkflowRefused) as info:
        submit(demo, **ret, user="李娜", contact_phone="13812345678")
    assert "不能提交" in info.value.message and "审核错误须改正" in info.value.message
    assert [p.rule_code for p in info.value.problems] == ["GW02-02"]
    assert _state(demo, "GW-02", YINGQIU).state == "draft" and not _events(demo, "GW-02", YINGQIU)


def test_explain_rule_passes_once_explained(demo):
    ret = _return(demo, unit=HOSPITAL)
    with pytest.raises(WorkflowRefused) as info:
        submit(demo, **ret, user="李娜", contact_phone="13812345678")
    assert "尚未填写审核说明" in info.value.message
    assert all(p.severity == "explain" for p in info.value.problems)
    explain(demo, **ret, rule_code="ZY01-06", text="冬季流感高峰临时加床", user="李娜")
    result = submit(demo, **ret, user="李娜", contact_phone="13812345678")
    assert result.state.state == "submitted" and result.changes.returns


def test_empty_required_rows_refuse_submit(demo):
    with pytest.raises(WorkflowRefused) as info:
        submit(demo, **_return(demo, period="2025"), user="李娜", contact_phone="13812345678")
    assert "10 个必填项未填（第 01、02、03、03.1、03.2、03.3 等行）" in info.value.message


@pytest.mark.parametrize(
    ("user", "phone", "fragment"),
    [(" ", "13812345678", "请填写填表人姓名"), ("李娜", "", "请填写联系电话"), ("李娜", "打电话", "不像电话号码"),
     ("李娜", "123", "不像电话号码")],
)  # fmt: skip
def test_submit_needs_a_name_and_a_phone(demo, user, phone, fragment):
    with pytest.raises(WorkflowRefused) as info:
        submit(demo, **_return(demo), user=user, contact_phone=phone)
    assert fragment in info.value.message


def test_signing_order_names_and_times(demo):
    ret = _return(demo)
    submit(demo, **ret, user=" 李娜 ", contact_phone="0536 621 2345")
    with pytest.raises(WorkflowRefused, match="只有“已审核”的报表才能批准"):
        approve(demo, **ret, user="张建国")
    review(demo, **ret, user="王秀英")
    approve(demo, **ret, user="张建国")
    state = _state(demo)
    assert state.state == "approved" and state.locked
    assert (state.submitted_by, state.reviewed_by, state.approved_by) == ("李娜", "王秀英", "张建国")
    assert state.contact_phone == "0536 621 2345"
    assert state.submitted_at <= state.reviewed_at <= state.approved_at
    events = _events(demo)
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in events] == [
        ("submit", "draft", "submitted", "李娜"),
        ("review", "submitted", "reviewed", "王秀英"),
        ("approve", "reviewed", "approved", "张建国"),
    ]
    with pytest.raises(WorkflowRefused, match="当前为“已批准”"):
        submit(demo, **ret, user="李娜", contact_phone="13812345678")


def test_an_approved_return_is_locked_in_ops(demo):
    _sign_all(demo, **_return(demo))
    with pytest.raises(ValueRefused) as info:
        save_value(demo, element_code="BEDS_ACTUAL", org_unit_code=TCM, period="2024", raw="600", user="李娜")
    assert "已经单位负责人批准，数据已锁定" in info.value.message and "实有床位" in info.value.message
    key = CellKey("BEDS_ACTUAL", TCM, "2024")
    with pytest.raises(ValueRefused, match="数据已锁定"):
        save_cells(demo, [(key, "600")], user="李娜")
    with pytest.raises(ValueRefused, match="数据已锁定"):
        set_comment(demo, key, "备注", user="李娜")
    # The 需跟进 flag is a reviewer's note, not data: allowed on a signed return.
    assert set_follow_up(demo, key, True, user="王秀英").changed == (key,)
    # Another period, and the same element of another unit, stay open.
    save_value(demo, element_code="BEDS_ACTUAL", org_unit_code=TCM, period="2023", raw="560", user="李娜")
    save_value(
        demo, element_code="BEDS_ACTUAL", org_unit_code=HOSPITAL, period="2024", raw="1500", user="李娜"
    )


def test_a_submitted_return_is_locked_too(demo):
    submit(demo, **_return(demo), user="李娜", contact_phone="13812345678")
    with pytest.raises(ValueRefused, match=r"已提交.*请先退回修改") as info:
        save_value(demo, element_code="NURSES", org_unit_code=TCM, period="2024", raw="1", user="李娜")
    assert "2024年已提交，“注册护士”不能修改" in info.value.message  # not 已已提交


def test_an_element_shared_by_two_forms_is_locked_by_either(demo):
    # 卫生技术人员 is on the village clinic form ZY-03; signing it locks the cell for every form.
    save_cells(demo, [(CellKey("HEALTH_TECH", VILLAGE, "2024"), "4")], user="李娜")
    _sign_all(demo, **_return(demo, "ZY-03", VILLAGE))
    with pytest.raises(ValueRefused, match="村卫生室"):
        save_value(demo, element_code="HEALTH_TECH", org_unit_code=VILLAGE, period="2024", raw="5", user="x")


def test_reopen_needs_reviewer_and_reason_and_unlocks(demo):
    ret = _return(demo)
    _sign_all(demo, **ret)
    with pytest.raises(WorkflowRefused, match="请填写统计负责人姓名"):
        reopen(demo, **ret, reviewer="", reason="数字有误")
    with pytest.raises(WorkflowRefused, match="请写明退回原因"):
        reopen(demo, **ret, reviewer="王秀英", reason=" ")
    result = reopen(demo, **ret, reviewer="王秀英", reason="注册护士数与人事科核对不一致")
    assert (
        result.state.state == "draft"
        and result.state.approved_by is None
        and result.state.submitted_by is None
    )
    last = _events(demo)[-1]
    assert (last.action, last.from_state, last.to_state, last.actor, last.reason) == (
        "reopen", "approved", "draft", "王秀英", "注册护士数与人事科核对不一致",
    )  # fmt: skip
    save_value(demo, element_code="NURSES", org_unit_code=TCM, period="2024", raw="261", user="李娜")
    with pytest.raises(WorkflowRefused, match="当前为“草稿”"):
        reopen(demo, **ret, reviewer="王秀英", reason="再退一次")


def test_explanations_are_frozen_with_the_signed_return(demo):
    ret = _return(demo, unit=HOSPITAL)
    explain(demo, **ret, rule_code="ZY01-06", text="临时加床", user="李娜")
    submit(demo, **ret, user="李娜", contact_phone="13812345678")
    from desktop.ops.checks import CheckError

    with pytest.raises(CheckError, match="审核说明不能再修改"):
        explain(demo, **ret, rule_code="ZY01-06", text="改一下", user="李娜")


def test_completeness_shows_who_submitted_and_who_is_late(demo):
    submit(demo, **_return(demo), user="李娜", contact_phone="13812345678")
    rows = completeness(demo, data_set_code="ZY-01", period="2024", today=date(2025, 2, 1))
    by_code = {r.org_unit_code: r for r in rows}
    assert set(by_code) >= {HOSPITAL, TCM, "370725101-01"} and VILLAGE not in by_code
    assert by_code[TCM].submitted and by_code[TCM].state.submitted_by == "李娜"
    assert by_code[TCM].due == date(2025, 1, 20)
    assert by_code[TCM].late  # submitted today, after 20 January 2025
    assert by_code[HOSPITAL].late and not by_code[HOSPITAL].submitted
    assert (by_code[HOSPITAL].filled, by_code[HOSPITAL].required) == (10, 10)
    early = completeness(demo, data_set_code="ZY-01", period="2025", today=date(2026, 1, 5))
    assert not any(r.late for r in early) and all(r.filled == 0 for r in early)


def test_completeness_of_chosen_units(demo):
    village = orgunits.get_org_unit_by_code(demo, VILLAGE)
    rows = completeness(demo, data_set_code="ZY-03", period="2024", org_unit_ids=[village.id])
    assert [r.org_unit_code for r in rows] == [VILLAGE] and rows[0].filed_by_id is not None
