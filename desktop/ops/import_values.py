"""Importing data values from a workbook or CSV: a preview first, then one all-or-nothing transaction.

The file layouts (long format and the form's own layout) are described in desktop.io.value_workbook.
``preview_import`` reads the file and checks every value against the database without writing anything: the
unit code (the program's code or the 统一社会信用代码), the data element code (or the form's row code), the
period (it must be of a type the element's forms use), the value (desktop.core.value_rules, the same rule as
typing it), the same cell twice in the file, and values that would change a signed (submitted, reviewed or approved: locked) return. Each
error names its sheet, row, cell and field, in Chinese.

``apply_import`` refuses a preview with errors; otherwise it backs the database up (导入前) and writes every new
or changed value through desktop.store.values.write_value — so each gets its audit row, with the reason
``导入：<file name>`` — in one transaction. A failure or Cancel anywhere rolls the whole import back. An import
never deletes a value: empty value cells are skipped. A 备注 cell sets the value's comment; an empty one keeps the
comment already stored.
"""

from __future__ import annotations

import sqlite3
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.codes import CodeError, parse_row_code
from desktop.core.periods import PERIOD_TYPE_NAMES_ZH, Period, PeriodError, parse_period
from desktop.core.value_rules import ElementRule, ValueRefused, coerce_value
from desktop.io import value_workbook as vw
from desktop.ops import backups
from desktop.ops.changes import OpChanges
from desktop.ops.progress import Progress
from desktop.ops.values import locked_message, rule_for
from desktop.store import elements, orgunits, values
from desktop.store.db import atomic, now_text
from desktop.store.workflow import LockingReturn, ReturnState, list_return_states

NEW = "new"
CHANGED = "changed"
UNCHANGED = "unchanged"
KIND_LABELS = {NEW: "新增", CHANGED: "修改", UNCHANGED: "未变"}
_STEP = 250
# A code merged over several rows is read only on its first row: the commonest cause of an empty code cell.
_MERGED_HINT = "（如果是合并单元格，请取消合并并在每一行都填写）"


class ImportRefused(Exception):
    """The import cannot be applied; .message is Chinese. Nothing has been written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ImportProblem:
    """One error in the file: where (sheet, row, cell, field) and what is wrong, in Chinese."""

    sheet: str
    row: int | None
    field: str
    message: str
    cell: str | None = None

    @property
    def where(self) -> str:
        text = f"工作表“{self.sheet}”"
        if self.row is not None:
            text += f"第 {self.row} 行"
        if self.cell:
            text += f"（{self.cell}）"
        return text

    def __str__(self) -> str:
        return f"{self.where}，{self.field}：{self.message}"


@dataclass(frozen=True)
class ImportChange:
    """One value of the file as it would be written: what is stored now, and what the file says."""

    sheet: str
    row: int
    unit_id: int
    unit_code: str
    unit_name: str
    element_id: int
    element_code: str
    element_name: str
    element_unit: str | None
    period: str
    period_label: str
    old_value: Any
    new_value: Any
    old_comment: str | None
    new_comment: str | None  # None: the file has no comment for it, the stored one is kept
    kind: str

    @property
    def writes(self) -> bool:
        return self.kind != UNCHANGED


@dataclass(frozen=True)
class SheetSummary:
    name: str
    layout: str  # long / form / skipped / empty
    records: int
    blank_values: int
    note: str = ""


@dataclass
class ImportPreview:
    """What an import of one file would do. Nothing has been written when you hold one."""

    path: Path
    kind: str
    encoding: str | None
    sheets: list[SheetSummary]
    rows_read: int
    blank_values: int
    changes: list[ImportChange] = field(default_factory=list)
    errors: list[ImportProblem] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return self.path.name

    def count(self, kind: str) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def new_count(self) -> int:
        return self.count(NEW)

    @property
    def changed_count(self) -> int:
        return self.count(CHANGED)

    @property
    def unchanged_count(self) -> int:
        return self.count(UNCHANGED)

    @property
    def can_apply(self) -> bool:
        return not self.errors and any(c.writes for c in self.changes)

    def summary(self) -> str:
        """One line for the dialog and the command line."""
        text = (
            f"读取 {self.rows_read} 行：新增 {self.new_count} 个值，修改 {self.changed_count} 个，"
            f"未变 {self.unchanged_count} 个"
        )
        if self.blank_values:
            text += f"，数值为空跳过 {self.blank_values} 行"
        if self.errors:
            text += f"；发现 {len(self.errors)} 处错误，改正后才能导入"
        return text


@dataclass(frozen=True)
class ImportResult:
    inserted: int
    updated: int
    unchanged: int
    backup_path: Path | None
    seconds: float
    changes: OpChanges

    def summary(self) -> str:
        text = f"已导入：新增 {self.inserted} 个值，修改 {self.updated} 个值"
        if self.unchanged:
            text += f"，{self.unchanged} 个值与库中相同未改动"
        return text + "。"


def _norm_code(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


def _row_key(text: str) -> object:
    """Row codes compare by their numbers, so 1 typed in Excel matches the form's 01, and 3.1 matches 03.1."""
    try:
        code = parse_row_code(text)
    except CodeError:
        return _norm_code(text)
    return (code.prefix, code.numbers)


def _value_text(value: Any) -> str:
    return "" if value is None else str(value)


class _Locks:
    """Which values belong to a signed return (submitted, reviewed or approved returns are locked, as in the
    entry screens: desktop.store.workflow.ReturnState.locked), read once per data set and period."""

    def __init__(self, conn: sqlite3.Connection, sets_of_element: dict[int, list[elements.DataSet]]) -> None:
        self.conn = conn
        self.sets_of_element = sets_of_element
        self._signed: dict[tuple[int, str], dict[int, ReturnState]] = {}

    def locking(self, element_id: int, unit_id: int, period: str) -> LockingReturn | None:
        """The signed return the value belongs to, or None."""
        for data_set in self.sets_of_element.get(element_id, ()):
            key = (data_set.id, period)
            if key not in self._signed:
                states = list_return_states(self.conn, data_set.id, period)
                self._signed[key] = {unit: state for unit, state in states.items() if state.locked}
            state = self._signed[key].get(unit_id)
            if state is not None:
                return LockingReturn(data_set.id, data_set.code, data_set.name, state.state)
        return None


class _Context:
    """Everything the checks look up, read once per preview."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.units: dict[str, orgunits.OrgUnit] = {}
        for unit in orgunits.list_org_units(conn):
            self.units[_norm_code(unit.code)] = unit
            if unit.uscc:
                self.units.setdefault(_norm_code(unit.uscc), unit)
        self.elements = {_norm_code(e.code): e for e in elements.list_elements(conn)}
        self.elements_by_id = {e.id: e for e in self.elements.values()}
        self.rules: dict[int, ElementRule] = {e.id: rule_for(e) for e in self.elements.values()}
        self.data_sets = {_norm_code(s.code): s for s in elements.list_data_sets(conn)}
        self.rows: dict[int, dict[object, elements.DataSetRow]] = {}
        self.sets_of_element: dict[int, list[elements.DataSet]] = {}
        for data_set in self.data_sets.values():
            rows = elements.list_data_set_rows(conn, data_set.id)
            self.rows[data_set.id] = {_row_key(r.row_code): r for r in rows}
            for row in rows:
                if row.element_id is not None and data_set not in self.sets_of_element.get(
                    row.element_id, []
                ):
                    self.sets_of_element.setdefault(row.element_id, []).append(data_set)
        self.locks = _Locks(conn, self.sets_of_element)

    def unit(self, code: str) -> orgunits.OrgUnit | None:
        return self.units.get(_norm_code(code))


def _progress_slice(
    progress: Progress | None, start: float, end: float, status: str
) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if progress is not None:
            progress.check()
            fraction = done / total if total else 1.0
            progress.report(start + (end - start) * min(fraction, 1.0), status)

    return report


def preview_import(
    conn: sqlite3.Connection,
    path: Path | str,
    *,
    unit_code: str | None = None,
    period: str | None = None,
    progress: Progress | None = None,
) -> ImportPreview:
    """Read path and check every value against the database; write nothing.

    unit_code and period are used for form-layout sheets that do not name their unit or period (the user's
    choice in the import dialog). Raises desktop.io.value_workbook.WorkbookError when the file cannot be read
    at all, Cancelled when the user stops it; every other problem is in the preview's errors.
    """
    path = Path(path)

    def reading(done: int, sheet: str) -> None:
        # The number of rows is unknown until the end; the bar creeps towards 60 % and the text counts rows.
        if progress is not None:
            progress.check()
            progress.report(
                0.6 * done / (done + 5_000), f"正在读取“{path.name}”：工作表“{sheet}”，已读 {done} 行"
            )

    reading(0, path.stem)
    parsed = vw.read_value_file(path, on_progress=reading)
    preview = ImportPreview(
        path=path,
        kind=parsed.kind,
        encoding=parsed.encoding,
        sheets=[SheetSummary(s.name, s.layout, s.records, s.blank_values, s.note) for s in parsed.sheets],
        rows_read=parsed.rows_read,
        blank_values=parsed.blank_values,
        errors=[ImportProblem(p.sheet, p.row, p.field, p.message, p.cell) for p in parsed.problems],
    )
    checking = _progress_slice(progress, 0.6, 1.0, "正在核对单位、数据项和数值…")
    _Checker(_Context(conn), preview, unit_code, period).run(parsed.records, checking)
    # Listed top to bottom, as the clerk will correct the file (reading and checking find them in two passes).
    order = {s.name: i for i, s in enumerate(parsed.sheets)}
    preview.errors.sort(key=lambda e: (order.get(e.sheet, len(order)), e.row or 0))
    if progress is not None:
        progress.report(1.0, preview.summary())
    return preview


class _Checker:
    def __init__(
        self, ctx: _Context, preview: ImportPreview, unit_code: str | None, period: str | None
    ) -> None:
        self.ctx = ctx
        self.preview = preview
        self.default_unit = unit_code
        self.default_period = period
        self.seen: dict[tuple[int, str, int], tuple[str, int]] = {}
        self.sheet_ok: dict[str, tuple[elements.DataSet, orgunits.OrgUnit, Period] | None] = {}

    def error(self, record: vw.RawRecord, field_name: str, message: str) -> None:
        self.preview.errors.append(
            ImportProblem(record.sheet_name, record.row, field_name, message, record.cell(field_name))
        )

    def sheet_error(self, sheet: vw.SheetLayout, field_name: str, message: str) -> None:
        cell = sheet.header_cells.get(field_name)
        self.preview.errors.append(ImportProblem(sheet.name, sheet.header_row, field_name, message, cell))

    def run(self, records: list[vw.RawRecord], report: Callable[[int, int], None]) -> None:
        total = len(records)
        for index, record in enumerate(records):
            if index % _STEP == 0:
                report(index, total)
            if record.sheet.layout == vw.FORM:
                self.form_record(record)
            else:
                self.long_record(record)
        report(total, total)

    # --- resolving codes -------------------------------------------------------------------------------

    def long_record(self, record: vw.RawRecord) -> None:
        unit = element = period = None
        if record.unit_code is None:
            self.error(record, vw.F_UNIT, "单位代码为空" + _MERGED_HINT)
        else:
            unit = self.ctx.unit(record.unit_code)
            if unit is None:
                self.error(record, vw.F_UNIT, f"未知的单位代码“{record.unit_code}”")
        if record.element_code is None:
            self.error(record, vw.F_ELEMENT, "数据项代码为空" + _MERGED_HINT)
        else:
            element = self.ctx.elements.get(_norm_code(record.element_code))
            if element is None:
                self.error(record, vw.F_ELEMENT, f"未知的数据项代码“{record.element_code}”")
        if record.period is None:
            self.error(record, vw.F_PERIOD, "报告期为空" + _MERGED_HINT)
        else:
            try:
                period = parse_period(record.period)
            except PeriodError as exc:
                self.error(record, vw.F_PERIOD, str(exc))
        if element is not None and period is not None:
            allowed = {s.period_type for s in self.ctx.sets_of_element.get(element.id, ())}
            if allowed and period.type not in allowed:
                names = "、".join(PERIOD_TYPE_NAMES_ZH[t] for t in sorted(allowed))
                self.error(
                    record,
                    vw.F_PERIOD,
                    f"“{element.name}”按{names}填报，报告期“{record.period}”是{PERIOD_TYPE_NAMES_ZH[period.type]}",
                )
                period = None
        if unit is not None and element is not None and period is not None:
            self.value(record, unit, element, period)
        elif element is not None:
            # Report a bad value on the same row too, so one round of corrections fixes the file.
            try:
                coerce_value(record.value, self.ctx.rules[element.id])
            except ValueRefused as exc:
                self.error(record, vw.F_VALUE, exc.message)

    def form_sheet(self, sheet: vw.SheetLayout) -> tuple[elements.DataSet, orgunits.OrgUnit, Period] | None:
        if sheet.name in self.sheet_ok:
            return self.sheet_ok[sheet.name]
        result = None
        data_set = self._sheet_data_set(sheet)
        unit_code = sheet.unit_code or self.default_unit
        unit = self.ctx.unit(unit_code) if unit_code else None
        if unit_code is None:
            self.sheet_error(sheet, vw.F_UNIT, "表头没有写单位代码，请在导入窗口中选择单位")
        elif unit is None:
            self.sheet_error(sheet, vw.F_UNIT, f"未知的单位代码“{unit_code}”")
        period_text = sheet.period or self.default_period
        period = None
        if period_text is None:
            self.sheet_error(sheet, vw.F_PERIOD, "表头没有写报告期，请在导入窗口中填写报告期")
        elif data_set is not None:
            try:
                period = parse_period(period_text, data_set.period_type)
            except PeriodError as exc:
                self.sheet_error(sheet, vw.F_PERIOD, str(exc))
        if data_set is not None and unit is not None and period is not None:
            result = (data_set, unit, period)
        self.sheet_ok[sheet.name] = result
        return result

    def _sheet_data_set(self, sheet: vw.SheetLayout) -> elements.DataSet | None:
        if sheet.form_code:
            data_set = self.ctx.data_sets.get(_norm_code(sheet.form_code))
            if data_set is None:
                self.sheet_error(sheet, vw.F_FORM, f"未知的表号“{sheet.form_code}”")
            return data_set
        name = sheet.name.strip()
        for candidate in (name, name.split()[0] if name.split() else name, name.split("_")[0]):
            data_set = self.ctx.data_sets.get(_norm_code(candidate))
            if data_set is not None:
                return data_set
        self.sheet_error(sheet, vw.F_FORM, "表头没有写表号（如“表号：ZY-01”），工作表名也不是表号")
        return None

    def form_record(self, record: vw.RawRecord) -> None:
        resolved = self.form_sheet(record.sheet)
        if resolved is None:
            return  # the sheet's problem is reported once, not on every row
        data_set, unit, period = resolved
        row = self.ctx.rows[data_set.id].get(_row_key(record.row_code or ""))
        if row is None:
            self.error(record, vw.F_ROW, f"报表 {data_set.code} 中没有代码为“{record.row_code}”的行")
            return
        if row.element_id is None:
            self.error(record, vw.F_VALUE, f"第 {row.row_code} 行“{row.label}”是标题行，不能填数")
            return
        self.value(record, unit, self.ctx.elements_by_id[row.element_id], period)

    # --- the value itself ------------------------------------------------------------------------------

    def value(
        self, record: vw.RawRecord, unit: orgunits.OrgUnit, element: elements.DataElement, period: Period
    ) -> None:
        try:
            value = coerce_value(record.value, self.ctx.rules[element.id])
        except ValueRefused as exc:
            self.error(record, vw.F_VALUE, exc.message)
            return
        key = (element.id, period.code, unit.id)
        first = self.seen.get(key)
        if first is not None:
            self.error(
                record,
                vw.F_VALUE,
                f"与工作表“{first[0]}”第 {first[1]} 行重复：同一单位、数据项和报告期只能有一个值",
            )
            return
        self.seen[key] = (record.sheet_name, record.row)
        old = values.get_value(self.ctx.conn, element.id, period.code, unit.id)
        comment = record.comment
        if old is None:
            kind = NEW
        else:
            new_comment = old.comment if comment is None else comment
            same = old.value == value and type(old.value) is type(value) and old.comment == new_comment
            kind = UNCHANGED if same else CHANGED
        if kind != UNCHANGED:
            lock = self.ctx.locks.locking(element.id, unit.id, period.code)
            if lock is not None:
                # The entry screens' wording, so a clerk reads the same sentence wherever a cell is locked.
                self.error(
                    record,
                    vw.F_VALUE,
                    f"{unit.display_name}：{locked_message(lock, element.name, period.code)}",
                )
                return
        self.preview.changes.append(
            ImportChange(
                sheet=record.sheet_name,
                row=record.row,
                unit_id=unit.id,
                unit_code=unit.code,
                unit_name=unit.display_name,
                element_id=element.id,
                element_code=element.code,
                element_name=element.name,
                element_unit=element.unit,
                period=period.code,
                period_label=period.short_label_zh,
                old_value=old.value if old else None,
                new_value=value,
                old_comment=old.comment if old else None,
                new_comment=comment,
                kind=kind,
            )
        )


def apply_import(
    conn: sqlite3.Connection, preview: ImportPreview, user: str, progress: Progress | None = None
) -> ImportResult:
    """Write the preview's new and changed values in one transaction, after a 导入前 backup.

    Refuses (ImportRefused) a preview with errors, or whose values have since been locked; a Cancel
    (desktop.ops.progress.Cancelled) or any failure rolls everything back, so either every value is written
    with its audit row or none is.
    """
    if preview.errors:
        raise ImportRefused(
            f"“{preview.file_name}”中有 {len(preview.errors)} 处错误，改正后再导入；本次没有写入任何数据。"
        )
    started = time.perf_counter()
    writes = [c for c in preview.changes if c.writes]
    if not writes:
        return ImportResult(0, 0, preview.unchanged_count, None, 0.0, OpChanges())
    report = _progress_slice(progress, 0.0, 1.0, f"正在导入“{preview.file_name}”…")
    report(0, len(writes))
    backup_path = None
    db_file = backups.database_file(conn)
    if db_file is not None:
        backup_path = backups.make_backup(conn, db_file, backups.BEFORE_IMPORT)
    reason = f"导入：{preview.file_name}"
    stored_at = now_text()
    inserted = updated = same = 0
    try:
        with atomic(conn):
            # A return approved since the preview refuses the whole import (checked inside the transaction).
            locks = _Context(conn).locks
            for index, change in enumerate(writes):
                if index % _STEP == 0:
                    report(index, len(writes))
                lock = locks.locking(change.element_id, change.unit_id, change.period)
                if lock is not None:
                    raise ImportRefused(
                        f"预览之后，{change.unit_name}：{locked_message(lock, change.element_name, change.period)}。"
                        "本次导入已全部撤销，没有写入任何数据。"
                    )
                extra = {} if change.new_comment is None else {"comment": change.new_comment}
                action = values.write_value(
                    conn,
                    element_id=change.element_id,
                    period=change.period,
                    org_unit_id=change.unit_id,
                    value=change.new_value,
                    stored_by=user,
                    stored_at=stored_at,
                    reason=reason,
                    **extra,
                )
                if action == "insert":
                    inserted += 1
                elif action == "update":
                    updated += 1
                else:
                    same += 1
    except sqlite3.Error as exc:
        raise ImportRefused(f"导入“{preview.file_name}”失败，没有写入任何数据：{exc}") from exc
    report(len(writes), len(writes))
    return ImportResult(
        inserted,
        updated,
        preview.unchanged_count + same,
        backup_path,
        time.perf_counter() - started,
        OpChanges(values=True),
    )
