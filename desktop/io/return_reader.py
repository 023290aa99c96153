"""Read a filled provincial-format return (.xlsx) back: its 表号, unit, period and body, by anchors, not positions.

A clerk may insert blank rows, move a column or retype a code, so nothing here depends on where a cell is:

- the labels above the table are found by their text: ``表号：…``, ``统一社会信用代码：…`` / ``行政区划代码：…`` /
  ``单位代码：…``, ``单位名称（盖章）：…`` and ``报告期：…`` (the value in the same cell after the colon, or in
  the next cell to the right); a period printed on its own (``2024年第3季度``) is recognised too;
- the table's columns are found by the 栏号 row (甲 乙 丙 1 2 3 …) every return prints under its header;
- the body is every non-empty row below the 栏号 row, up to the signer footer (单位负责人) or 说明.

Only the file is read (never the database): the result is raw cell values with their addresses, so the ops
layer can name the sheet and cell of any problem. Sheets without a 表号 (the 审核说明 sheet) are skipped.
A formula cell carries both the formula and the result the spreadsheet saved with it (None when the file was
written by a tool that saves no results), so the ops layer never mistakes a formula for an empty cell.
openpyxl is imported inside the functions.
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop.core.periods import PeriodError, parse_period

_LABELS = {
    "表号": "table_no",
    "统一社会信用代码": "unit_code",
    "行政区划代码": "unit_code",
    "组织机构代码": "unit_code",
    "单位代码": "unit_code",
    "单位名称(盖章)": "unit_name",
    "单位名称": "unit_name",
    "报告期": "period",
}
_LABEL_RE = re.compile(
    "^(" + "|".join(re.escape(k) for k in sorted(_LABELS, key=len, reverse=True)) + ")[:：]?(.*)$"
)
_FOOTER_WORDS = ("单位负责人", "说明", "填表人", "统计负责人")
_SCAN_ROWS = 40


class ReturnFileError(ValueError):
    """The file cannot be read as a return; .message is Chinese and names the file (and sheet/cell)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class SheetCell:
    ref: str  # A1-style address, for messages
    value: Any  # for a formula: the result the spreadsheet saved with it (None when it saved none)
    formula: str | None = None  # the formula as typed (=D12+5), when the cell holds one


@dataclass(frozen=True)
class SheetRow:
    row: int
    cells: dict[str, SheetCell]  # by 栏号


@dataclass(frozen=True)
class ReturnSheet:
    sheet: str
    labels: dict[str, SheetCell]  # table_no / unit_code / unit_name / period → the value and where it was
    unit_code_label: str | None  # which code the unit line gave (统一社会信用代码, 行政区划代码 …)
    number_row: int | None  # the 栏号 row, None when the sheet has none
    numbers: dict[str, str]  # 栏号 → column letter
    rows: tuple[SheetRow, ...]


@dataclass(frozen=True)
class ReturnWorkbook:
    path: Path
    sheets: tuple[ReturnSheet, ...]
    metadata: dict[str, str] = field(default_factory=dict)  # written by the export into the file's keywords
    skipped: tuple[str, ...] = ()  # sheets without a 表号


def normalise(value: Any) -> str:
    """Cell text folded for matching: NFKC (full-width to half-width), no spaces of any kind."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value)))


def _period_like(text: str) -> bool:
    if not text or not any(ch.isdigit() for ch in text):
        return False
    try:
        parse_period(text)
    except PeriodError:
        return False
    return True


def read_return_workbook(path: Path | str) -> ReturnWorkbook:
    """Read every return sheet of an .xlsx file. Raises ReturnFileError if the file is not a readable
    workbook or has no sheet with a 表号."""
    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise ReturnFileError(
            f"“{path.name}”是旧版 Excel 文件（.xls）：请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
        )
    if path.is_dir():
        raise ReturnFileError(f"“{path}”是文件夹，请选择填好的报表文件（.xlsx）")
    try:
        if path.exists() and path.stat().st_size == 0:
            raise ReturnFileError(
                f"“{path.name}”是空文件（0 字节），可能没有保存完整：请重新保存或重新复制后再导入"
            )
    except OSError:
        pass  # reported below by the load itself, with the reason
    # Read the formulas as typed first: a cell a clerk filled with =D12+5 must not pass for an empty one.
    # Only when there are formulas is the file read a second time for the results Excel/WPS saved with them.
    metadata, grids = _load_grids(path, data_only=False)
    if any(formula for grid in grids.values() for row in grid for _c, _v, formula in row):
        _metadata, results = _load_grids(path, data_only=True)
        grids = {title: _with_results(grid, results.get(title, [])) for title, grid in grids.items()}
    sheets, skipped = [], []
    for title, grid in grids.items():
        sheet = _read_sheet(title, grid)
        if sheet is None:
            skipped.append(title)
        else:
            sheets.append(sheet)
    if not sheets:
        raise ReturnFileError(
            f"“{path.name}”中没有找到报表：任何工作表的表头都没有“表号”。请导入由本程序导出、填好的报表"
        )
    return ReturnWorkbook(path, tuple(sheets), metadata, tuple(skipped))


_Grid = list[list[tuple[str, Any, str | None]]]  # rows of (column letter, value, formula or None)


def _load_grids(path: Path, *, data_only: bool) -> tuple[dict[str, str], dict[str, _Grid]]:
    """(the export's metadata from the file's keywords, every sheet's cells by title)."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    try:
        wb = load_workbook(path, read_only=True, data_only=data_only)
    except FileNotFoundError as exc:
        raise ReturnFileError(f"找不到文件“{path}”") from exc
    except PermissionError as exc:
        raise ReturnFileError(
            f"无法打开“{path.name}”：没有读取权限，或文件正被其他程序独占，请关闭后重试"
        ) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReturnFileError(f"“{path.name}”不是有效的 Excel 工作簿（.xlsx），无法读取") from exc
    try:
        metadata = {}
        for part in (wb.properties.keywords or "").split(";"):
            key, sep, value = part.partition("=")
            if sep:
                metadata[key.strip()] = value.strip()
        grids: dict[str, _Grid] = {}
        for ws in wb.worksheets:
            grids[ws.title] = [
                [
                    (
                        get_column_letter(j),
                        None if cell.data_type == "f" else cell.value,
                        str(cell.value) if cell.data_type == "f" and not data_only else None,
                    )
                    for j, cell in enumerate(row, start=1)
                ]
                for row in ws.iter_rows()
            ]
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise ReturnFileError(f"“{path.name}”已损坏，无法读取其中的工作表") from exc
    finally:
        wb.close()
    return metadata, grids


def _with_results(formulas: _Grid, results: _Grid) -> _Grid:
    """The formula grid with each formula cell's saved result as its value (None when none was saved)."""
    saved = {(r, column): value for r, row in enumerate(results) for column, value, _f in row}
    return [
        [(column, saved.get((r, column)) if formula else value, formula) for column, value, formula in row]
        for r, row in enumerate(formulas)
    ]


def _read_sheet(title: str, grid: _Grid) -> ReturnSheet | None:
    labels: dict[str, SheetCell] = {}
    unit_code_label = None
    number_row = None
    numbers: dict[str, str] = {}
    loose_period: SheetCell | None = None
    for r, row in enumerate(grid[:_SCAN_ROWS], start=1):
        texts = [normalise(v) for _c, v, _f in row]
        if "甲" in texts and ("乙" in texts or "1" in texts):
            number_row = r
            for (column, _v, _f), text in zip(row, texts, strict=True):
                if text and text not in numbers:
                    numbers[text] = column
            break
        for j, ((column, value, _f), text) in enumerate(zip(row, texts, strict=True)):
            m = _LABEL_RE.match(text)
            if m is None:
                if loose_period is None and r > 1 and _period_like(text):
                    loose_period = SheetCell(f"{column}{r}", value)
                continue
            key = _LABELS[m[1]]
            rest = m[2]
            cell = SheetCell(f"{column}{r}", rest)
            if not rest:  # the value is in the next non-empty cell to the right
                for column2, value2, _f2 in row[j + 1 :]:
                    if normalise(value2):
                        cell = SheetCell(
                            f"{column2}{r}", value2 if isinstance(value2, str) else normalise(value2)
                        )
                        break
            labels.setdefault(key, cell)
            if key == "unit_code" and unit_code_label is None:
                unit_code_label = m[1]
    if "table_no" not in labels:
        return None
    if "period" not in labels and loose_period is not None:
        labels["period"] = loose_period
    rows: list[SheetRow] = []
    if number_row is not None:
        by_letter = {letter: number for number, letter in numbers.items()}
        for r, row in enumerate(grid[number_row:], start=number_row + 1):
            texts = [normalise(v) for _c, v, _f in row]
            if any(t.startswith(_FOOTER_WORDS) for t in texts if t):
                break
            if not any(texts) and not any(f for _c, _v, f in row):
                continue  # a blank row a clerk inserted
            cells = {
                by_letter[column]: SheetCell(f"{column}{r}", value, formula)
                for column, value, formula in row
                if column in by_letter
            }
            rows.append(SheetRow(r, cells))
    return ReturnSheet(title, labels, unit_code_label, number_row, numbers, tuple(rows))
