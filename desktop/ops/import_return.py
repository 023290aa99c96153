"""Importing a filled provincial-format return back: read it, show old → new per value, apply on confirmation.

`read_return_file(conn, path)` identifies the return by its 表号 (the template), the unit's code and the period
printed above the table, anchors every body row on its row code (or unit code) and every column on its 栏号,
and compares each importable cell — a stored data element of the return's own period — with what the
database holds. It writes nothing. Every problem is collected (unknown 表号, a missing or unknown row code, a
value that is not a number or breaks the element's rules, a locked return) with the sheet and cell it is in;
if there is any, ReturnImportRefused carries them all and nothing can be applied.

`apply_return_import(conn, plan, user=…)` writes the changes in one transaction through save_value (each
with its audit row), after checking that nothing changed in the database since the plan was read.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from desktop.core.codes import CodeError, parse_row_code
from desktop.core.periods import Period, PeriodError, parse_period
from desktop.core.value_rules import ValueRefused, coerce_value
from desktop.io.return_doc import rounded_value
from desktop.io.return_reader import (
    ReturnFileError,
    ReturnSheet,
    SheetCell,
    normalise,
    read_return_workbook,
)
from desktop.io.templates import ReturnTemplate
from desktop.ops.changes import OpChanges
from desktop.ops.progress import Progress, report
from desktop.ops.returns import (
    FilledCell,
    FilledReturn,
    ReturnError,
    effective_identity,
    fill_return,
    list_templates,
)
from desktop.ops.values import refuse_if_locked, rule_for, save_value
from desktop.store import elements, orgunits, values
from desktop.store.db import atomic


class ReturnImportRefused(ReturnError):
    """The workbook cannot be imported; .problems lists every problem (each naming sheet and cell)."""

    def __init__(self, problems: list[str], path: Path) -> None:
        shown = problems[:20]
        more = f"\n……另有 {len(problems) - 20} 个问题" if len(problems) > 20 else ""
        super().__init__(f"“{path.name}”不能导入，未写入任何数据：\n" + "\n".join(shown) + more)
        self.problems = problems
        self.path = path


@dataclass(frozen=True)
class ValueChange:
    sheet: str
    cell: str
    row_code: str
    row_name: str
    column_title: str
    element_code: str
    element_name: str
    org_unit_code: str
    org_unit_name: str
    period: str
    old: Any  # the value the return showed (the unit's own, or the roll-up of its children)
    new: Any
    old_stored: Any  # the unit's own stored value before the change (None when it had none)
    old_was_rollup: bool = False


@dataclass(frozen=True)
class ReturnImportPlan:
    path: Path
    template: ReturnTemplate
    unit: orgunits.OrgUnit
    period: Period
    changes: tuple[ValueChange, ...]
    unchanged: int
    notes: tuple[str, ...] = ()  # what was read but will not be written (computed cells, blanks)

    def describe(self) -> list[str]:
        """A few sentences for a person: which return, how many values change."""
        lines = [
            f"报表：{self.template.title}（{self.template.identity.table_no}），"
            f"单位：{self.unit.name}，报告期：{self.period.label_zh}",
            f"将修改 {len(self.changes)} 个数值，{self.unchanged} 个数值与数据库一致。",
        ]
        return lines + list(self.notes)


@dataclass(frozen=True)
class ReturnImportResult:
    applied: int
    changes: OpChanges


def _template_for(
    conn: sqlite3.Connection, table_no: str, problems: list[str] | None = None
) -> ReturnTemplate | None:
    wanted = normalise(table_no)
    for template in list_templates(problems=problems):
        if normalise(effective_identity(conn, template).table_no) == wanted:
            return template
        if normalise(template.identity.table_no) == wanted:
            return template
    return None


def _unit_for(conn: sqlite3.Connection, code: str) -> orgunits.OrgUnit | None:
    unit = orgunits.get_org_unit_by_code(conn, code)
    if unit is not None:
        return unit
    for candidate in orgunits.list_org_units(conn):
        if candidate.uscc == code or (candidate.level <= 2 and candidate.admin_code == code):
            return candidate
    return None


def _where(sheet: ReturnSheet, ref: str) -> str:
    return f"工作表“{sheet.sheet}”单元格 {ref}"


def _code_key(text: str) -> str:
    """Row codes compare by their numbers, so 1 typed for 01 (Excel drops the zero) still matches."""
    try:
        parsed = parse_row_code(text)
    except CodeError:
        return text
    return parsed.prefix + ".".join(str(n) for n in parsed.numbers)


def read_return_file(
    conn: sqlite3.Connection, path: Path | str, *, progress: Progress | None = None, today: date | None = None
) -> ReturnImportPlan:
    """Read a filled return and compare it with the database (nothing is written).

    Raises ReturnImportRefused listing every problem with its sheet and cell, or ReturnError when the file
    cannot be read at all.
    """
    path = Path(path)
    report(progress, 0.05, "正在读取文件…")
    try:
        workbook = read_return_workbook(path)
    except ReturnFileError as exc:
        raise ReturnError(exc.message) from exc
    if len(workbook.sheets) > 1:
        names = "、".join(s.sheet for s in workbook.sheets)
        raise ReturnError(f"“{path.name}”中有 {len(workbook.sheets)} 张报表（{names}）：请每次导入一张")
    sheet = workbook.sheets[0]
    problems: list[str] = []
    table_cell = sheet.labels["table_no"]
    table_no = normalise(table_cell.value)
    broken: list[str] = []  # template files that could not be read: the 表号 may be one of theirs
    template = _template_for(conn, table_no, broken) if table_no else None
    if template is None:
        known = "、".join(effective_identity(conn, t).table_no for t in list_templates(problems=[]))
        raise ReturnImportRefused(
            [
                f"{_where(sheet, table_cell.ref)}：表号“{table_no or '（空）'}”不是本程序的报表（现有：{known}）",
                *(f"另有模板文件有误，未能读取：{problem}" for problem in broken),
            ],
            path,
        )
    if not template.importable:
        raise ReturnError(
            f"“{template.title}”由程序根据规划和项目登记生成，不能导入；请在相应页面修改后重新导出"
        )
    unit = period = None
    unit_cell = sheet.labels.get("unit_code")
    if unit_cell is None or not normalise(unit_cell.value):
        problems.append(f"工作表“{sheet.sheet}”：找不到单位代码（统一社会信用代码或行政区划代码）")
    else:
        unit = _unit_for(conn, normalise(unit_cell.value))
        if unit is None:
            problems.append(
                f"{_where(sheet, unit_cell.ref)}：单位代码“{normalise(unit_cell.value)}”不在本数据库中"
            )
    period_cell = sheet.labels.get("period")
    if period_cell is None:
        problems.append(f"工作表“{sheet.sheet}”：找不到报告期")
    else:
        try:
            period = parse_period(normalise(period_cell.value), template.period_type)
        except PeriodError as exc:
            problems.append(f"{_where(sheet, period_cell.ref)}：{exc}")
    if sheet.number_row is None:
        problems.append(
            f"工作表“{sheet.sheet}”：找不到栏号行（表头下方写有 甲、乙、1、2 … 的一行），无法对应各栏"
        )
    if problems or unit is None or period is None:
        raise ReturnImportRefused(problems, path)
    report(progress, 0.3, "正在与数据库比对…")
    filled = fill_return(conn, template_id=template, org_unit_code=unit.code, period=period, today=today)
    plan = _compare(conn, sheet, filled, path)
    report(progress, 1.0, "比对完成")
    return plan


def _compare(
    conn: sqlite3.Connection, sheet: ReturnSheet, filled: FilledReturn, path: Path
) -> ReturnImportPlan:
    template = filled.template
    problems: list[str] = []
    code_column = template.code_column
    assert code_column is not None
    code_number = code_column.number
    if code_number not in sheet.numbers:
        raise ReturnImportRefused(
            [
                f"工作表“{sheet.sheet}”第 {sheet.number_row} 行：找不到第“{code_number}”栏（{_flat(code_column.title)}）"
            ],
            path,
        )
    expected = {_code_key(row.code): row for row in filled.rows}
    seen: dict[str, str] = {}
    by_code = {}
    for sheet_row in sheet.rows:
        cell = sheet_row.cells.get(code_number)
        code = normalise(cell.value) if cell else ""
        if not code:
            problems.append(
                f"工作表“{sheet.sheet}”第 {sheet_row.row} 行：{_flat(code_column.title)}栏为空，无法确定是哪一行"
            )
            continue
        key = _code_key(code)
        if key not in expected:
            problems.append(f"{_where(sheet, cell.ref)}：代码“{code}”不是“{template.title}”的行")
            continue
        if key in seen:
            problems.append(f"{_where(sheet, cell.ref)}：代码“{code}”与第 {seen[key]} 行重复")
            continue
        seen[key] = str(sheet_row.row)
        by_code[key] = sheet_row
    for key, row in expected.items():
        if key not in by_code:
            problems.append(f"工作表“{sheet.sheet}”：找不到代码为“{row.code}”的行（{row.name}）")
    value_columns = [
        (i, c) for i, c in enumerate(template.columns) if c.kind == "value" and c.period == "current"
    ]
    for _i, column in value_columns:
        if column.number not in sheet.numbers:
            problems.append(f"工作表“{sheet.sheet}”：找不到第“{column.number}”栏（{_flat(column.title)}）")
    if problems:
        raise ReturnImportRefused(problems, path)
    # 上年同期 and 年度 columns show other periods' data: edits there are reported, never imported.
    other_columns = [
        (i, c)
        for i, c in enumerate(template.columns)
        if c.kind == "value" and c.period != "current" and c.number in sheet.numbers
    ]

    changes: list[ValueChange] = []
    unchanged = 0
    computed_differ: list[str] = []
    other_differ: list[str] = []
    blanks: list[str] = []
    element_cache: dict[str, elements.DataElement] = {}
    for key, row in expected.items():
        sheet_row = by_code[key]
        for i, column in other_columns:
            cell = sheet_row.cells.get(column.number)
            if cell is not None and _given(cell) and _differs(row.cells[i], cell.value):
                other_differ.append(f"{cell.ref}（{row.code} {_flat(column.title)}）")
        for i, column in value_columns:
            filled_cell: FilledCell = row.cells[i]
            cell = sheet_row.cells.get(column.number)
            where = f"{_where(sheet, cell.ref if cell else '?')}（{row.code} {row.name.strip()}，{_flat(column.title)}）"
            if cell is not None and cell.formula and cell.value is None:
                # A formula the file holds no result for (saved by a tool that does not calculate): its
                # value is unknown, so it is neither taken for an empty cell nor guessed.
                problems.append(
                    f"{where}：是公式“{cell.formula}”，但文件中没有保存计算结果；"
                    "请在 Excel 或 WPS 中打开并保存后再导入，或直接填写数值"
                )
                continue
            if cell is None or not _given(cell):
                # An empty cell means "not reported in this file": the database keeps what it holds.
                if filled_cell.value is not None and cell is not None:
                    blanks.append(f"{cell.ref}（{row.code}）")
                continue
            raw = cell.value
            ref = filled_cell.ref
            if ref is None:
                # A computed cell (formula, indicator): its value follows from the others, never imported.
                if _differs(filled_cell, raw):
                    computed_differ.append(f"{cell.ref}（{row.code} {_flat(column.title)}）")
                continue
            element = element_cache.get(ref.element_code) or elements.get_element_by_code(
                conn, ref.element_code
            )
            assert element is not None
            element_cache[ref.element_code] = element
            problem = _type_problem(raw, element)
            if problem:
                problems.append(f"{where}：{problem}")
                continue
            try:
                new = coerce_value(raw, rule_for(element))
            except ValueRefused as exc:
                problems.append(f"{where}：{exc.message}")
                continue
            if isinstance(new, str):
                problems.append(f"{where}：“{raw}”不是数字")
                continue
            if not _differs(filled_cell, new):
                unchanged += 1
                continue
            try:
                refuse_if_locked(conn, element, ref.org_unit_id, ref.period)
            except ValueRefused as exc:
                problems.append(f"{where}：{exc.message}")
                continue
            stored = values.get_value(conn, element.id, ref.period, ref.org_unit_id)
            unit_name = filled.unit.name if row.unit_id in (None, filled.unit.id) else row.name
            changes.append(
                ValueChange(
                    sheet=sheet.sheet,
                    cell=cell.ref,
                    row_code=row.code,
                    row_name=row.name.strip(),
                    column_title=_flat(column.title),
                    element_code=element.code,
                    element_name=element.name,
                    org_unit_code=ref.org_unit_code,
                    org_unit_name=unit_name,
                    period=ref.period,
                    old=filled_cell.value,
                    new=new,
                    old_stored=stored.value if stored else None,
                    old_was_rollup=not filled_cell.own,
                )
            )
    if problems:
        raise ReturnImportRefused(problems, path)
    notes = []
    if computed_differ:
        notes.append(
            "以下计算得出的单元格与程序计算结果不同，导入时不写入（将按新数值重新计算）："
            + _listed(computed_differ)
        )
    if other_differ:
        notes.append(
            "以下单元格属于上年同期等其他报告期，只供对照，导入时不写入（如需修改请导入该报告期的报表）："
            + _listed(other_differ)
        )
    if blanks:
        notes.append(
            f"有 {len(blanks)} 个单元格为空：{_listed(blanks)}。空单元格表示本文件未填报该项，"
            "导入不会删除或改动数据库中已有的数值。"
        )
    return ReturnImportPlan(
        path=path,
        template=template,
        unit=filled.unit,
        period=filled.period,
        changes=tuple(changes),
        unchanged=unchanged,
        notes=tuple(notes),
    )


def _flat(title: str) -> str:
    """A column title on one line (a template may break a long title into lines for the printed header)."""
    return title.replace("\n", "")


def _given(cell: SheetCell) -> bool:
    """True when the cell holds something (a formula's saved result counts; spaces do not)."""
    value = cell.value
    return value is not None and not (isinstance(value, str) and not normalise(value))


def _listed(refs: list[str], limit: int = 10) -> str:
    return "、".join(refs[:limit]) + (f" 等 {len(refs)} 处" if len(refs) > limit else "")


def _type_problem(raw: Any, element: elements.DataElement) -> str | None:
    """What a cell's type says about a value typed into a number cell (None when it may be a number)."""
    if isinstance(raw, bool) and element.value_type != "yesno":
        # TRUE/FALSE in a count is a slip (a checkbox, a comparison formula), never 1 or 0.
        return f"“{'TRUE' if raw else 'FALSE'}”是逻辑值，不是数字"
    if isinstance(raw, datetime | date | time):
        return f"“{raw}”是日期或时间，不是数字（单元格格式可能被改成了日期，请改为“常规”或“数值”后重填）"
    return None


def _differs(cell: FilledCell, new: Any) -> bool:
    """True when the workbook's value is not what the return printed (compared at the printed decimals)."""
    old = cell.number
    if isinstance(new, str):
        try:
            new = float(normalise(new))
        except ValueError:
            return True
    if old is None:
        return True
    places = cell.decimals if cell.decimals is not None else 6
    return rounded_value(float(new), places) != rounded_value(old, places)


def apply_return_import(
    conn: sqlite3.Connection, plan: ReturnImportPlan, *, user: str, progress: Progress | None = None
) -> ReturnImportResult:
    """Write the plan's changes in one transaction, each through save_value (validated, audited).

    Refused with ReturnError, and nothing written, when a value in the database changed since the plan was
    read or a change is refused (e.g. the return was signed in the meantime).
    """
    if not user.strip():
        raise ReturnError("请填写操作人姓名后再导入（审计记录需要写明是谁修改的）")
    reason = f"导入报表“{plan.path.name}”"
    with atomic(conn):
        for n, change in enumerate(plan.changes, start=1):
            if progress is not None:
                progress.step(n - 1, len(plan.changes), f"正在写入 {change.row_code} {change.row_name}…")
            element = elements.get_element_by_code(conn, change.element_code)
            unit = orgunits.get_org_unit_by_code(conn, change.org_unit_code)
            assert element is not None and unit is not None
            current = values.get_value(conn, element.id, change.period, unit.id)
            if (current.value if current else None) != change.old_stored:
                raise ReturnError(
                    f"单元格 {change.cell}（{change.row_code} {change.row_name}）的数据在预览之后已被修改，"
                    "未写入任何数据；请重新导入以查看最新的差异"
                )
            try:
                save_value(
                    conn,
                    element_code=change.element_code,
                    org_unit_code=change.org_unit_code,
                    period=change.period,
                    raw=change.new,
                    user=user,
                    reason=reason,
                )
            except ValueRefused as exc:
                raise ReturnError(
                    f"单元格 {change.cell}（{change.row_code} {change.row_name}）不能写入：{exc.message}；未写入任何数据"
                ) from exc
    report(progress, 1.0, "已导入")
    return ReturnImportResult(len(plan.changes), OpChanges(values=bool(plan.changes)))
