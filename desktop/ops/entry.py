"""What the entry screens do with cells: save typed values (several at once, all-or-nothing), put a cell back
the way it was (undo/redo), comments, the 需跟进 flag and a denominator's provenance — each in one transaction
with its audit row, each refused on a signed return (see ops.values.save_value).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from desktop.core.periods import PeriodError, parse_period
from desktop.core.value_rules import ValueRefused, coerce_value
from desktop.ops.changes import OpChanges
from desktop.ops.values import refuse_if_locked, rule_for, save_value
from desktop.store import elements, orgunits, values, workflow
from desktop.store.db import atomic, now_text

PROVENANCES = ("count", "estimate", "quota")
PROVENANCE_NAMES_ZH = {"count": "实际计数", "estimate": "估算", "quota": "任务数"}
UNDO_REASON, REDO_REASON = "撤销", "重做"


@dataclass(frozen=True)
class CellKey:
    """One cell: element × unit × period, by codes (period canonical, e.g. 2024, 2024Q1)."""

    element_code: str
    org_unit_code: str
    period: str


@dataclass(frozen=True)
class CellState:
    """Everything stored in one cell, so an undo can put it back exactly."""

    value: Any = None
    comment: str | None = None
    follow_up: bool = False
    provenance: str | None = None
    provenance_formula: str | None = None
    provenance_source: str | None = None

    @property
    def empty(self) -> bool:
        return self.value is None and not self.comment


class CellRefused(ValueRefused):
    """A value refused in a batch: .key is the cell, .index its place in the batch."""

    def __init__(self, message: str, key: CellKey, index: int) -> None:
        super().__init__(message)
        self.key = key
        self.index = index


@dataclass(frozen=True)
class EntryResult:
    changed: tuple[CellKey, ...] = ()
    changes: OpChanges = field(default_factory=OpChanges)


@dataclass(frozen=True)
class _Cell:
    element: elements.DataElement
    unit: orgunits.OrgUnit
    period: str


def _resolve(conn: sqlite3.Connection, key: CellKey) -> _Cell:
    element = elements.get_element_by_code(conn, key.element_code)
    if element is None:
        raise ValueRefused(f"未知的数据项代码“{key.element_code}”")
    unit = orgunits.get_org_unit_by_code(conn, key.org_unit_code)
    if unit is None:
        raise ValueRefused(f"未知的单位代码“{key.org_unit_code}”")
    try:
        period = parse_period(key.period).code
    except PeriodError as exc:
        raise ValueRefused(str(exc)) from exc
    return _Cell(element, unit, period)


def read_cells(conn: sqlite3.Connection, keys: Sequence[CellKey]) -> dict[CellKey, CellState]:
    """The stored state of each cell (an empty CellState for a cell with nothing stored)."""
    result = {}
    for key in keys:
        cell = _resolve(conn, key)
        stored = values.get_value(conn, cell.element.id, cell.period, cell.unit.id)
        result[key] = (
            CellState(
                stored.value,
                stored.comment,
                stored.follow_up,
                stored.provenance,
                stored.provenance_formula,
                stored.provenance_source,
            )
            if stored
            else CellState()
        )
    return result


def save_cells(
    conn: sqlite3.Connection,
    edits: Sequence[tuple[CellKey, object]],
    *,
    user: str,
    reason: str | None = None,
) -> EntryResult:
    """Save typed values (raw text or numbers; empty clears) for several cells in one transaction.

    A refused value anywhere raises CellRefused naming the cell and nothing is written (a pasted column is
    all-or-nothing). Returns the cells that actually changed.
    """
    changed = []
    with atomic(conn):
        for index, (key, raw) in enumerate(edits):
            try:
                result = save_value(
                    conn,
                    element_code=key.element_code,
                    org_unit_code=key.org_unit_code,
                    period=key.period,
                    raw=raw,
                    user=user,
                    reason=reason,
                )
            except ValueRefused as exc:
                raise CellRefused(exc.message, key, index) from exc
            if result.action is not None:
                changed.append(key)
    return EntryResult(tuple(changed), OpChanges(values=bool(changed)))


def restore_cells(
    conn: sqlite3.Connection, states: Mapping[CellKey, CellState], *, user: str, reason: str
) -> EntryResult:
    """Put cells back to stored states (undo/redo), with audit rows carrying `reason`; refused when locked."""
    changed = []
    with atomic(conn):
        for index, (key, state) in enumerate(states.items()):
            cell = _resolve(conn, key)
            try:
                refuse_if_locked(conn, cell.element, cell.unit.id, cell.period)
            except ValueRefused as exc:
                raise CellRefused(exc.message, key, index) from exc
            at = now_text()
            action = values.write_value(
                conn,
                element_id=cell.element.id,
                period=cell.period,
                org_unit_id=cell.unit.id,
                value=state.value,
                stored_by=user,
                stored_at=at,
                comment=state.comment,
                provenance=state.provenance,
                provenance_formula=state.provenance_formula,
                provenance_source=state.provenance_source,
                reason=reason,
            )
            flagged = workflow.set_follow_up(
                conn,
                element_id=cell.element.id,
                period=cell.period,
                org_unit_id=cell.unit.id,
                follow_up=state.follow_up,
                user=user,
                at=at,
            )
            if action is not None or flagged:
                changed.append(key)
    return EntryResult(tuple(changed), OpChanges(values=bool(changed)))


def set_comment(conn: sqlite3.Connection, key: CellKey, text: str | None, *, user: str) -> EntryResult:
    """Set (or, with empty text, remove) a cell's comment; a comment may stand on an empty cell."""
    cell = _resolve(conn, key)
    refuse_if_locked(conn, cell.element, cell.unit.id, cell.period)
    cleaned = (text or "").strip() or None
    with atomic(conn):
        old = values.get_value(conn, cell.element.id, cell.period, cell.unit.id)
        action = values.write_value(
            conn,
            element_id=cell.element.id,
            period=cell.period,
            org_unit_id=cell.unit.id,
            value=old.value if old else None,
            stored_by=user,
            stored_at=now_text(),
            comment=cleaned,
            reason="修改备注",
        )
    return EntryResult((key,) if action else (), OpChanges(values=action is not None))


def set_follow_up(conn: sqlite3.Connection, key: CellKey, flag: bool, *, user: str) -> EntryResult:
    """Mark a stored value 需跟进 (or clear the mark). Allowed on signed returns too: it is a reviewer's note,
    not data. Refused on an empty cell, which has nothing to follow up."""
    cell = _resolve(conn, key)
    if values.get_value(conn, cell.element.id, cell.period, cell.unit.id) is None:
        raise ValueRefused(f"“{cell.element.name}”还没有填数，不能标记为需跟进")
    with atomic(conn):
        changed = workflow.set_follow_up(
            conn,
            element_id=cell.element.id,
            period=cell.period,
            org_unit_id=cell.unit.id,
            follow_up=flag,
            user=user,
            at=now_text(),
        )
    return EntryResult((key,) if changed else (), OpChanges(values=changed))


_KEEP: Any = object()


def set_provenance(
    conn: sqlite3.Connection,
    key: CellKey,
    *,
    provenance: str | None,
    formula: str | None = None,
    source: str | None = None,
    raw_value: object = _KEEP,
    user: str,
) -> EntryResult:
    """Record where a denominator comes from (count, estimate = population × rate, or task quota).

    With `raw_value` the value is set at the same time (the estimate the editor computed); otherwise the stored
    value is kept. An estimate needs its formula and source, so a reader can redo it.
    """
    if provenance is not None and provenance not in PROVENANCES:
        raise ValueRefused(f"分母来源应为 {'、'.join(PROVENANCE_NAMES_ZH.values())} 之一")
    formula = (formula or "").strip() or None
    source = (source or "").strip() or None
    if provenance == "estimate" and (not formula or not source):
        raise ValueRefused("估算数须写明算法（如 18岁及以上常住人口 × 25.2%）和患病率的来源")
    cell = _resolve(conn, key)
    refuse_if_locked(conn, cell.element, cell.unit.id, cell.period)
    with atomic(conn):
        old = values.get_value(conn, cell.element.id, cell.period, cell.unit.id)
        if raw_value is _KEEP:
            value = old.value if old else None
        else:
            value = coerce_value(raw_value, rule_for(cell.element))
        if value is None and provenance is not None:
            raise ValueRefused(f"请先填写“{cell.element.name}”的数值，再注明它的来源")
        action = values.write_value(
            conn,
            element_id=cell.element.id,
            period=cell.period,
            org_unit_id=cell.unit.id,
            value=value,
            stored_by=user,
            stored_at=now_text(),
            provenance=provenance,
            provenance_formula=formula,
            provenance_source=source,
            reason="注明分母来源",
        )
    return EntryResult((key,) if action else (), OpChanges(values=action is not None))


def cell_history(conn: sqlite3.Connection, key: CellKey) -> list[values.AuditEntry]:
    """The cell's audit trail, newest first."""
    cell = _resolve(conn, key)
    return values.list_audit(conn, cell.element.id, cell.period, cell.unit.id)
