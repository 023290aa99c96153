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
from desktop.store import elements, orgunits, values
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

    Everything is checked before anything is written; the value and its audit row commit together.
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
