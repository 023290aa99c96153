"""Adding and changing org units, with their codes validated before anything is written.

An invalid 统一社会信用代码 or 行政区划代码, an unknown unit type, or a 代报 link that points at the unit itself
is refused with a Chinese message that names the field; nothing is written.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from desktop.core.codes import CodeError, validate_admin_code, validate_uscc
from desktop.ops.changes import OpChanges
from desktop.store import orgunits
from desktop.store.db import atomic


class OrgUnitRefused(ValueError):
    """The unit cannot be stored as given; .message says which field and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class OrgUnitResult:
    unit_id: int
    changes: OpChanges


def _check_date(text: str | None, field: str) -> str | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise OrgUnitRefused(f"{field}“{text}”不是有效日期，应写作 2024-03-15") from None


def add_org_unit(
    conn: sqlite3.Connection,
    *,
    code: str,
    name: str,
    unit_type: str,
    parent_code: str | None = None,
    short_name: str | None = None,
    admin_code: str | None = None,
    uscc: str | None = None,
    opened_on: str | None = None,
    closed_on: str | None = None,
    filed_by_code: str | None = None,
) -> OrgUnitResult:
    """Validate and insert one org unit under parent_code; its level follows from the unit type."""
    code, name = (code or "").strip(), (name or "").strip()
    if not code:
        raise OrgUnitRefused("单位代码不能为空")
    if not name:
        raise OrgUnitRefused("单位名称不能为空")
    if orgunits.get_org_unit_by_code(conn, code) is not None:
        raise OrgUnitRefused(f"单位代码“{code}”已被使用")
    types = {t[0]: t for t in orgunits.list_unit_types(conn)}
    if unit_type not in types:
        names = "、".join(t[1] for t in types.values())
        raise OrgUnitRefused(f"未知的单位类型“{unit_type}”。可选：{names}")
    try:
        uscc_code = validate_uscc(uscc).code if uscc else None
    except CodeError as exc:
        raise OrgUnitRefused(f"统一社会信用代码有误：{exc}") from exc
    try:
        admin = validate_admin_code(admin_code) if admin_code else None
    except CodeError as exc:
        raise OrgUnitRefused(f"行政区划代码有误：{exc}") from exc
    parent = _unit(conn, parent_code, "上级单位")
    filer = _unit(conn, filed_by_code, "代报单位")
    opened, closed = _check_date(opened_on, "成立日期"), _check_date(closed_on, "撤销日期")
    if opened and closed and closed < opened:
        raise OrgUnitRefused(f"撤销日期 {closed} 早于成立日期 {opened}")
    with atomic(conn):
        unit_id = orgunits.insert_org_unit(
            conn,
            code=code,
            name=name,
            short_name=(short_name or "").strip() or None,
            level=types[unit_type][2] if parent is None else max(parent.level + 1, types[unit_type][2]),
            unit_type=unit_type,
            parent_id=parent.id if parent else None,
            admin_code=admin,
            uscc=uscc_code,
            opened_on=opened,
            closed_on=closed,
            filed_by_id=filer.id if filer else None,
        )
    return OrgUnitResult(unit_id, OpChanges(org_units=True))


def _unit(conn: sqlite3.Connection, code: str | None, field: str) -> orgunits.OrgUnit | None:
    if not code:
        return None
    unit = orgunits.get_org_unit_by_code(conn, code)
    if unit is None:
        raise OrgUnitRefused(f"{field}代码“{code}”不存在")
    return unit
