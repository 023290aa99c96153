"""Review and sign: draft → submitted (填表人) → reviewed (统计负责人) → approved (单位负责人), and reopening.

Every step records who and when in return_state (the names printed in the return's footer) and appends a
return_event. Submission is refused while a blocking check fails, an 'explain' check has no 审核说明, or a
required row is empty. Once submitted, the return's cells are locked (ops.values.save_value refuses edits)
until it is reopened, which needs the reviewer's name and a reason.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import date

from desktop.core.periods import Period, PeriodError, deadline, parse_period
from desktop.ops.changes import OpChanges
from desktop.ops.checks import CheckError, CheckResult, ReturnKey, evaluate_return, resolve_return
from desktop.store import elements, orgunits, values, workflow
from desktop.store.db import atomic, now_text
from desktop.store.workflow import STATE_NAMES_ZH, ReturnState

ROLE_NAMES_ZH = {"submit": "填表人", "review": "统计负责人", "approve": "单位负责人", "reopen": "统计负责人"}
_PHONE = re.compile(r"[0-9０-９\-－—\s()（）+＋转#]+")


class WorkflowRefused(Exception):
    """A workflow step that cannot be taken; .message is Chinese, .problems the checks standing in the way."""

    def __init__(self, message: str, problems: list[CheckResult] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


@dataclass(frozen=True)
class WorkflowResult:
    state: ReturnState
    changes: OpChanges


def _key(conn: sqlite3.Connection, data_set_code: str, org_unit_code: str, period: str) -> ReturnKey:
    try:
        return resolve_return(conn, data_set_code, org_unit_code, period)
    except CheckError as exc:
        raise WorkflowRefused(exc.message) from exc


def _name(text: str | None, role: str) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise WorkflowRefused(f"请填写{role}姓名")
    if len(cleaned) > 30:
        raise WorkflowRefused(f"{role}姓名过长（{len(cleaned)} 个字），请只写姓名")
    return cleaned


def check_phone(text: str | None) -> str:
    """A 联系电话 as typed, tidied; raise WorkflowRefused when it cannot be a phone number."""
    cleaned = " ".join((text or "").split())
    if not cleaned:
        raise WorkflowRefused("请填写联系电话")
    digits = sum(ch.isdigit() for ch in cleaned)
    if not _PHONE.fullmatch(cleaned) or not 7 <= digits <= 20:
        raise WorkflowRefused(f"联系电话“{cleaned}”不像电话号码：应写作 0536-6212345 或 13812345678")
    return cleaned


def _step(
    conn: sqlite3.Connection,
    key: ReturnKey,
    *,
    action: str,
    expected: tuple[str, ...],
    new_state: ReturnState,
    actor: str,
    reason: str | None = None,
) -> WorkflowResult:
    with atomic(conn):
        # Read inside the transaction: two windows signing at once must not both pass the state test.
        current = workflow.get_return_state(conn, key.data_set.id, key.unit.id, key.period_code)
        if current.state not in expected:
            wanted = "或".join(f"“{STATE_NAMES_ZH[s]}”" for s in expected)
            raise WorkflowRefused(
                f"{key.unit.display_name}“{key.data_set.name}”{key.period.label_zh}当前为“{current.state_zh}”，"
                f"只有{wanted}的报表才能{_ACTION_NAMES_ZH[action]}"
            )
        state = new_state if new_state.state == "draft" else _merge(current, new_state)
        workflow.save_return_state(conn, state)
        workflow.insert_return_event(
            conn,
            data_set_id=key.data_set.id,
            org_unit_id=key.unit.id,
            period=key.period_code,
            action=action,
            from_state=current.state,
            to_state=state.state,
            actor=actor,
            at=now_text(),
            reason=reason,
        )
    return WorkflowResult(state, OpChanges(returns=True))


_ACTION_NAMES_ZH = {"submit": "提交", "review": "审核", "approve": "批准", "reopen": "退回"}


def _merge(current: ReturnState, new: ReturnState) -> ReturnState:
    # Keep earlier signatures (the reviewer approving keeps the clerk's name); set what this step adds.
    fields = {k: v for k, v in new.__dict__.items() if v is not None}
    return replace(current, **fields)


def submit(
    conn: sqlite3.Connection,
    *,
    data_set_code: str,
    org_unit_code: str,
    period: str,
    user: str,
    contact_phone: str | None,
) -> WorkflowResult:
    """填表人 submits a draft. Refused (WorkflowRefused with .problems) while any check is open."""
    key = _key(conn, data_set_code, org_unit_code, period)
    name = _name(user, "填表人")
    phone = check_phone(contact_phone)
    problems = [r for r in evaluate_return(conn, key) if r.open]
    if problems:
        raise WorkflowRefused(_problem_summary(problems), problems)
    stamp = ReturnState(
        key.data_set.id, key.unit.id, key.period_code, "submitted", submitted_by=name, submitted_at=now_text(),
        contact_phone=phone,
    )  # fmt: skip
    return _step(conn, key, action="submit", expected=("draft",), new_state=stamp, actor=name)


def _problem_summary(problems: list[CheckResult]) -> str:
    blocking = [p for p in problems if p.severity == "blocking" and p.kind != "required"]
    required = [p for p in problems if p.kind == "required"]
    unexplained = [p for p in problems if p.needs_explanation]
    parts = []
    if blocking:
        parts.append(f"{len(blocking)} 条审核错误须改正（如：{blocking[0].message}）")
    if required:
        rows = "、".join(p.row_codes[0] for p in required[:6]) + (" 等" if len(required) > 6 else " ")
        parts.append(f"{len(required)} 个必填项未填（第 {rows}行）")
    if unexplained:
        parts.append(f"{len(unexplained)} 条审核提示尚未填写审核说明")
    return "不能提交：" + "；".join(parts) + "。"


def review(
    conn: sqlite3.Connection, *, data_set_code: str, org_unit_code: str, period: str, user: str
) -> WorkflowResult:
    """统计负责人 marks a submitted return as reviewed."""
    key = _key(conn, data_set_code, org_unit_code, period)
    name = _name(user, "统计负责人")
    stamp = ReturnState(
        key.data_set.id, key.unit.id, key.period_code, "reviewed", reviewed_by=name, reviewed_at=now_text()
    )
    return _step(conn, key, action="review", expected=("submitted",), new_state=stamp, actor=name)


def approve(
    conn: sqlite3.Connection, *, data_set_code: str, org_unit_code: str, period: str, user: str
) -> WorkflowResult:
    """单位负责人 approves a reviewed return; its data stay locked until it is reopened."""
    key = _key(conn, data_set_code, org_unit_code, period)
    name = _name(user, "单位负责人")
    stamp = ReturnState(
        key.data_set.id, key.unit.id, key.period_code, "approved", approved_by=name, approved_at=now_text()
    )
    return _step(conn, key, action="approve", expected=("reviewed",), new_state=stamp, actor=name)


def reopen(
    conn: sqlite3.Connection,
    *,
    data_set_code: str,
    org_unit_code: str,
    period: str,
    reviewer: str,
    reason: str,
) -> WorkflowResult:
    """Send a submitted, reviewed or approved return back to draft (退回修改), naming the reviewer and why.

    The signatures are cleared (the return must be signed again); the event log keeps who signed before.
    """
    key = _key(conn, data_set_code, org_unit_code, period)
    name = _name(reviewer, "统计负责人")
    why = " ".join((reason or "").split())
    if len(why) < 2:
        raise WorkflowRefused("请写明退回原因")
    draft = ReturnState(key.data_set.id, key.unit.id, key.period_code, "draft")
    return _step(
        conn,
        key,
        action="reopen",
        expected=("submitted", "reviewed", "approved"),
        new_state=draft,
        actor=name,
        reason=why,
    )


# --- completeness ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitProgress:
    """How far one unit's return of a data set and period has come."""

    org_unit_id: int
    org_unit_code: str
    org_unit_name: str
    filed_by_id: int | None
    state: ReturnState
    filled: int
    required: int
    due: date | None
    late: bool  # not submitted by the deadline (or submitted after it)

    @property
    def submitted(self) -> bool:
        return self.state.state != "draft"


def count_filled(rows: list[elements.DataSetRow], stored: dict[int, object]) -> tuple[int, int]:
    """(filled required rows, required rows) of a form for one unit's values {element_id: value}."""
    required = [r for r in rows if r.element_id is not None and r.required]
    filled = sum(1 for r in required if stored.get(r.element_id) is not None)  # type: ignore[arg-type]
    return filled, len(required)


def completeness(
    conn: sqlite3.Connection,
    *,
    data_set_code: str,
    period: str,
    org_unit_ids: list[int] | None = None,
    today: date | None = None,
) -> list[UnitProgress]:
    """Every unit that fills the data set (or those given), with state, filled/required rows and lateness.

    Late means: the deadline (core.periods.deadline of the data set's rule) has passed and the return was not
    submitted, or was submitted after it.
    """
    data_set = elements.get_data_set_by_code(conn, data_set_code)
    if data_set is None:
        raise WorkflowRefused(f"未知的报表代码“{data_set_code}”")
    try:
        key_period = _key_period(data_set, period)
        due = deadline(key_period, data_set.deadline)
    except PeriodError as exc:
        raise WorkflowRefused(f"报表“{data_set.name}”：{exc}") from exc
    today = today or date.today()
    types = set(elements.list_data_set_unit_types(conn, data_set.id))
    units = [
        u
        for u in orgunits.list_org_units(conn)
        if (u.id in org_unit_ids if org_unit_ids is not None else u.unit_type in types)
    ]
    rows = elements.list_data_set_rows(conn, data_set.id)
    element_ids = [r.element_id for r in rows if r.element_id is not None]
    stored = values.values_for_period(conn, key_period.code, element_ids)
    states = workflow.list_return_states(conn, data_set.id, key_period.code)
    result = []
    for unit in units:
        state = states.get(unit.id) or ReturnState(data_set.id, unit.id, key_period.code)
        mine = {e: stored.get((e, unit.id)) for e in element_ids}
        filled, required = count_filled(rows, mine)
        result.append(
            UnitProgress(
                org_unit_id=unit.id,
                org_unit_code=unit.code,
                org_unit_name=unit.display_name,
                filed_by_id=unit.filed_by_id,
                state=state,
                filled=filled,
                required=required,
                due=due,
                late=_late(state, due, today),
            )
        )
    return result


def _key_period(data_set: elements.DataSet, period: str) -> Period:
    return parse_period(period, data_set.period_type)


def _late(state: ReturnState, due: date | None, today: date) -> bool:
    if due is None:
        return False
    if state.submitted_at:
        return date.fromisoformat(state.submitted_at[:10]) > due
    return today > due
