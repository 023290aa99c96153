"""Read a filled provincial-format return (.xlsx) back: its 表号, unit, period and body, by anchors, not positions.

A clerk may insert blank rows, move a column or retype a code, so nothing here depends on where a cell is:

- the labels above the table are found by their text: ``表号：…``, ``统一社会信用代码：…`` / ``行政区划代码：…`` /
  ``单位代码：…``, ``单位名称（盖章）：…`` and ``报告期：…`` (the value in the same cell after the colon, or in
  the next cell to the right); a period printed on its own (``2024年第3季度``) is recognised too;
- the table's columns are found by the 栏号 row (甲 乙 丙 1 2 3 …) every return prints under its header;
- the body is every non-empty row below the 栏号 row, up to the signer footer (单位负责人) or 说明.

Only the file is read (never the database): the result is raw cell values with their addresses, so the ops
layer can name the sheet and cell of any problem. Sheets without a 表号 (the 审核说明 sheet) are skipped.
openpyxl is imported inside the function.
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
    value: Any


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
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    path = Path(path)
    if path.suffix.lower() == ".xls":
        raise ReturnFileError(
            f"“{path.name}”是旧版 Excel 文件（.xls）：请在 Excel 或 WPS 中另存为 .xlsx 后再导入"
        )
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise ReturnFileError(f"找不到文件“{path}”") from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ReturnFileError(f"“{path.name}”不是有效的 Excel 工作簿（.xlsx），无法读取") from exc
    try:
        metadata = {}
        for part in (wb.properties.keywords or "").split(";"):
            key, sep, value = part.partition("=")
            if sep:
                metadata[key.strip()] = value.strip()
        sheets, skipped = [], []
        for ws in wb.worksheets:
            grid = [
                [(get_column_letter(j), cell.value) for j, cell in enumerate(row, start=1)]
                for row in ws.iter_rows()
            ]
            sheet = _read_sheet(ws.title, grid)
            if sheet is None:
                skipped.append(ws.title)
            else:
                sheets.append(sheet)
    finally:
        wb.close()
    if not sheets:
        raise ReturnFileError(
            f"“{path.name}”中没有找到报表：任何工作表的表头都没有“表号”。请导入由本程序导出、填好的报表"
        )
    return ReturnWorkbook(path, tuple(sheets), metadata, tuple(skipped))


def _read_sheet(title: str, grid: list[list[tuple[str, Any]]]) -> ReturnSheet | None:
    labels: dict[str, SheetCell] = {}
    unit_code_label = None
    number_row = None
    numbers: dict[str, str] = {}
    loose_period: SheetCell | None = None
    for r, row in enumerate(grid[:_SCAN_ROWS], start=1):
        texts = [normalise(v) for _c, v in row]
        if "甲" in texts and ("乙" in texts or "1" in texts):
            number_row = r
            for (column, _v), text in zip(row, texts, strict=True):
                if text and text not in numbers:
                    numbers[text] = column
            break
        for j, ((column, value), text) in enumerate(zip(row, texts, strict=True)):
            m = _LABEL_RE.match(text)
            if m is None:
                if loose_period is None and r > 1 and _period_like(text):
                    loose_period = SheetCell(f"{column}{r}", value)
                continue
            key = _LABELS[m[1]]
            rest = m[2]
            cell = SheetCell(f"{column}{r}", rest)
            if not rest:  # the value is in the next non-empty cell to the right
                for column2, value2 in row[j + 1 :]:
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
            texts = [normalise(v) for _c, v in row]
            if any(t.startswith(_FOOTER_WORDS) for t in texts if t):
                break
            if not any(texts):
                continue  # a blank row a clerk inserted
            cells = {
                by_letter[column]: SheetCell(f"{column}{r}", value)
                for column, value in row
                if column in by_letter
            }
            rows.append(SheetRow(r, cells))
    return ReturnSheet(title, labels, unit_code_label, number_row, numbers, tuple(rows))
