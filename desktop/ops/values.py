"""Saving one value as a clerk types it: validate, write with its audit row, commit — in one transaction.

There is no Save button anywhere: each edit is committed the moment it is made, so a crash or a power cut
loses at most the edit being typed.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from desktop.core.periods import PeriodError, parse_period
from desktop.core.value_rules import ElementRule, ValueRefused, coerce_value
from desktop.ops.changes import OpChanges
from desktop.store import elements, orgunits, values, workflow
from desktop.store.db import atomic, now_text


@dataclass(frozen=True)
class SaveResult:
    action: str | None  # 'insert', 'update', 'delete', or None when nothing changed
    value: Any
    changes: OpChanges


def rule_for(element: elements.DataElement) -> ElementRule:
    return ElementRule(
        name=element.name,
        value_type=element.value_type,
        decimals=element.decimals,
        min_value=element.min_value,
        max_value=element.max_value,
        unit=element.unit,
    )


def save_value(
    conn: sqlite3.Connection,
    *,
    element_code: str,
    org_unit_code: str,
    period: str,
    raw: object,
    user: str,
    comment: str | None = None,
    reason: str | None = None,
) -> SaveResult:
    """Validate raw against the element and store it (empty raw deletes the value). Raises ValueRefused.

    Everything is checked before anything is written; the value and its audit row commit together. A cell on
    a submitted, reviewed or approved return is locked: the edit is refused until the return is reopened.
    """
    element = elements.get_element_by_code(conn, element_code)
    if element is None:
        raise ValueRefused(f"未知的数据项代码“{element_code}”")
    unit = orgunits.get_org_unit_by_code(conn, org_unit_code)
    if unit is None:
        raise ValueRefused(f"未知的单位代码“{org_unit_code}”")
    try:
        period_code = parse_period(period).code
    except PeriodError as exc:
        raise ValueRefused(str(exc)) from exc
    refuse_if_locked(conn, element, unit.id, period_code)
    value = coerce_value(raw, rule_for(element))
    extra = {} if comment is None else {"comment": comment}
    with atomic(conn):
        action = values.write_value(
            conn,
            element_id=element.id,
            period=period_code,
            org_unit_id=unit.id,
            value=value,
            stored_by=user,
            stored_at=now_text(),
            reason=reason,
            **extra,
        )
    return SaveResult(action, value, OpChanges(values=action is not None))


def locked_message(lock: workflow.LockingReturn, element_name: str, period_code: str) -> str:
    """Why a cell cannot be edited, naming the form, the period and what to do."""
    label = parse_period(period_code).label_zh
    if lock.state == "approved":
        return (
            f"“{lock.data_set_name}”{label}已经单位负责人批准，数据已锁定，“{element_name}”不能修改；"
            "如需更正，请由统计负责人退回后再改"
        )
    return (
        # STATE_NAMES_ZH already says 已 (已提交, 已审核).
        f"“{lock.data_set_name}”{label}{workflow.STATE_NAMES_ZH[lock.state]}，“{element_name}”不能修改；"
        "如需更正，请先退回修改"
    )


def refuse_if_locked(
    conn: sqlite3.Connection, element: elements.DataElement, org_unit_id: int, period: str
) -> None:
    """Raise ValueRefused when the cell belongs to a signed return (see store.workflow.locking_return)."""
    lock = workflow.locking_return(conn, element.id, org_unit_id, period)
    if lock is not None:
        raise ValueRefused(locked_message(lock, element.name, period))
