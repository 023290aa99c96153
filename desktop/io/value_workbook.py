"""Reading data values from a workbook (.xlsx) or a CSV file, in long format or in a form's own layout.

Only the file is read here (no database): the result is raw records with the sheet and row each came from, and
the problems of the file itself. Codes are checked against the database by desktop.ops.import_values.

Every sheet of a workbook is read; a CSV file is one sheet named after the file. CSV text may be UTF-8 (with or
without BOM) or GBK (what Chinese Excel and WPS write when saving "CSV (逗号分隔)"); the encoding is detected.
Each sheet is recognised as one of two layouts by its header row (among its first 30 rows):

1. **Long format (长表)** — one value per row. Columns, in any order, Chinese or English header:

   ====================  ==============================  ========
   field                 accepted headers                required
   ====================  ==============================  ========
   单位代码               单位代码 / 机构代码 / unit_code    yes
   数据项代码             数据项代码 / 指标代码 / element_code yes
   报告期                 报告期 / 统计期 / period           yes
   数值                   数值 / 值 / value                yes
   备注                   备注 / 说明 / comment             no
   ====================  ==============================  ========

   Headers ignore case, spaces and a bracketed note (``单位代码（必填）``). Other columns (单位名称, 数据项名称 …)
   are ignored, so a clerk may keep names beside the codes. A title row above the header row is allowed.

2. **Form layout (报表格式)** — the form as it is printed, one sheet per unit, form and period:

   - Above the table, cells name what the sheet holds, written ``标签：值`` in one cell or as the label in one
     cell and the value in the next cell to the right:
     ``表号`` (the data set code, e.g. ``ZY-01``; when missing, the sheet name is tried, e.g. a sheet named
     ``ZY-01`` or ``ZY-01 县人民医院``), ``单位代码`` (the program's unit code or the 统一社会信用代码) and
     ``报告期`` (``2024``, ``2024Q1``, ``2024年3月`` …). A missing 单位代码 or 报告期 is chosen by the user in the
     import dialog (the ``unit_code`` / ``period`` arguments of the preview).
   - The table's header row has a row-code column (``代码`` / ``行次`` / ``行号`` / ``序号`` / ``row_code``) and a
     value column (``数值`` / ``本期`` / ``本期数`` / ``本年`` / ``本年数`` / ``value``); ``指标名称``, ``计量单位``
     and ``备注`` may be there too (备注 is read as the value's comment).
   - Rows without a row code are headings and are skipped.

In both layouts a row whose value cell is empty is skipped and counted (an import never deletes a value), and
sheets that are neither (a 说明 sheet) are listed as skipped. Excel's own conversions are undone where they are
unambiguous: a code typed as a number (370725, 1) is read as its digits, a period typed ``2024-03`` that Excel
turned into a date is read as the month 2024-03, a date value is read as ``YYYY-MM-DD``, a number in a percent
cell as the percentage shown (``28.5%``, not 0.285) and a formula as its saved result. What cannot be read
safely is a problem, never a silent blank: a formula saved without its result, a number on a form row with no
row code (a merged code cell). The file is read by what it is (desktop.io.value_sources), not by its name.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from desktop.io.value_sources import WorkbookError, content_kind, csv_rows, xlsx_sheets
from desktop.io.value_sources import detect_encoding as detect_encoding  # re-exported for callers

LONG = "long"
FORM = "form"
SKIPPED = "skipped"
EMPTY = "empty"

F_UNIT = "单位代码"
F_ELEMENT = "数据项代码"
F_PERIOD = "报告期"
F_VALUE = "数值"
F_COMMENT = "备注"
F_ROW = "代码"
F_FORM = "表号"
F_HEADER = "表头"
F_FILE = "文件"

LONG_HEADERS_ZH = (F_UNIT, F_ELEMENT, F_PERIOD, F_VALUE, F_COMMENT)
LONG_HEADERS_EN = ("unit_code", "element_code", "period", "value", "comment")

_LONG_ALIASES = {
    F_UNIT: ("单位代码", "机构代码", "单位编码", "机构编码", "unitcode", "orgunitcode", "unit", "orgunit"),
    F_ELEMENT: (
        "数据项代码",
        "数据项编码",
        "指标代码",
        "数据元代码",
        "elementcode",
        "element",
        "dataelement",
    ),
    F_PERIOD: ("报告期", "统计期", "期别", "period"),
    F_VALUE: ("数值", "值", "填报值", "value"),
    F_COMMENT: ("备注", "说明", "comment", "note"),
}
_FORM_ALIASES = {
    F_ROW: ("代码", "行次", "行号", "序号", "行代码", "rowcode", "row", "code"),
    F_VALUE: ("数值", "本期", "本期数", "本年", "本年数", "本年实际", "填报数", "值", "value"),
    F_COMMENT: ("备注", "说明", "comment", "note"),
}
_FORM_LABELS = {
    F_FORM: ("表号", "报表代码", "报表编号", "表代码", "form", "formcode", "dataset"),
    F_UNIT: ("单位代码", "机构代码", "统一社会信用代码", "unitcode", "unit"),
    F_PERIOD: ("报告期", "统计期", "period"),
}
_REQUIRED_LONG = (F_UNIT, F_ELEMENT, F_PERIOD, F_VALUE)
_HEADER_SCAN_ROWS = 30
_PROGRESS_EVERY = 500
_BRACKETED = re.compile(r"[（(\[【][^）)\]】]*[）)\]】]")
_LABEL_VALUE = re.compile(r"^\s*([^:：]{1,20}?)\s*[:：]\s*(.*?)\s*$")

ProgressFn = Callable[[int, str], None]


@dataclass(frozen=True)
class Problem:
    """Something wrong in the file, with where it is: sheet, row (1-based as Excel shows it), field, cell."""

    sheet: str
    row: int | None
    field: str
    message: str
    cell: str | None = None


@dataclass
class SheetLayout:
    """How one sheet was read: its layout, header row, columns, and (form layout) the header values."""

    name: str
    layout: str
    header_row: int | None = None
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column index
    form_code: str | None = None
    unit_code: str | None = None
    period: str | None = None
    header_cells: dict[str, str] = field(default_factory=dict)  # header field -> cell ref ("B2")
    records: int = 0
    blank_values: int = 0
    note: str = ""

    def cell(self, field_name: str, row: int) -> str | None:
        """The cell a field of a data row came from ("D12"), or the header cell it was read from."""
        if field_name in self.columns:
            return f"{column_letter(self.columns[field_name])}{row}"
        return self.header_cells.get(field_name)


@dataclass(frozen=True)
class RawRecord:
    """One value as the file gives it: codes as text, the value as read (text, number or None)."""

    sheet: SheetLayout
    row: int
    unit_code: str | None
    element_code: str | None  # long format
    row_code: str | None  # form layout
    period: str | None
    value: Any
    comment: str | None

    @property
    def sheet_name(self) -> str:
        return self.sheet.name

    def cell(self, field_name: str) -> str | None:
        return self.sheet.cell(field_name, self.row)


@dataclass
class ValueFile:
    """Everything read from one file."""

    path: Path
    kind: str  # 'xlsx' or 'csv'
    encoding: str | None
    sheets: list[SheetLayout]
    records: list[RawRecord]
    problems: list[Problem]
    rows_read: int  # non-blank data rows below the header rows, including those with an empty value

    @property
    def blank_values(self) -> int:
        return sum(s.blank_values for s in self.sheets)


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _key(text: object) -> str:
    """A header or label as compared: NFKC, no bracketed note, no spaces/underscores/stars, lower case."""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = _BRACKETED.sub("", folded)
    return re.sub(r"[\s_*＊:：\-]+", "", folded).lower()


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {_key(alias): name for name, options in aliases.items() for alias in options}


_LONG_KEYS = _lookup(_LONG_ALIASES)
_FORM_KEYS = _lookup(_FORM_ALIASES)
_LABEL_KEYS = _lookup(_FORM_LABELS)


def code_text(value: Any) -> str | None:
    """A code cell as text: numbers Excel made of codes become their digits again; blank becomes None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    text = unicodedata.normalize("NFKC", str(value)).strip()
    return text or None


def period_text(value: Any) -> str | None:
    """A period cell as text. Excel turns a typed 2024-03 into the date 2024-03-01: read that as the month."""
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        return f"{day.year:04d}-{day.month:02d}" if day.day == 1 else day.isoformat()
    return code_text(value)


def value_cell(value: Any) -> Any:
    """A value cell as coerce_value takes it: text and numbers as they are, dates as YYYY-MM-DD."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, str) and not value.strip():
        return None
    return value


def _comment(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _match(keys: list[str], lookup: dict[str, str]) -> dict[str, list[int]]:
    """Which fields a header row has, and in which columns (more than one column is a problem)."""
    found: dict[str, list[int]] = {}
    for index, key in enumerate(keys):
        if key in lookup:
            found.setdefault(lookup[key], []).append(index)
    return found


def _blank(row: Sequence[Any]) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _at(row: Sequence[Any], index: int | None) -> Any:
    if index is None or index >= len(row):
        return None
    return row[index]


# --- reading the file ----------------------------------------------------------------------------------


def read_value_file(path: Path | str, on_progress: ProgressFn | None = None) -> ValueFile:
    """Read every sheet of path (an .xlsx/.xlsm workbook or .csv/.txt text, whatever the name says; a text
    table named .xls is read too) and recognise its layout.

    on_progress(rows_done, sheet_name) is called every few hundred rows; it may raise to stop the reading.
    Raises WorkbookError when the file cannot be read at all; problems inside it are returned.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise WorkbookError(f"找不到文件“{path}”。", path)
    if suffix not in (".xlsx", ".xlsm", ".xls", ".et", ".csv", ".txt"):
        raise WorkbookError(f"无法导入“{path.name}”：只支持 .xlsx 工作簿和 .csv 文件。", path)
    # Read by content, not by name: a workbook renamed .txt, or a text table saved as .xls, is read as it is.
    content = content_kind(path)
    if content == "ole2":
        raise WorkbookError(
            f"文件“{path.name}”是旧版 Excel（.xls）或 WPS（.et）格式，或设置了打开密码：请在 Excel 或 WPS 中"
            "打开，另存为 .xlsx 工作簿（不设密码）或 CSV 后再导入。",
            path,
        )
    if content == "html":
        raise WorkbookError(
            f"文件“{path.name}”是网页（HTML/XML）格式的表格，不是真正的 Excel 工作簿：请在 Excel 或 WPS 中打开，"
            "另存为 .xlsx 工作簿或 CSV 后再导入。",
            path,
        )
    if content == "text" and suffix in (".xlsx", ".xlsm"):
        raise WorkbookError(
            f"文件“{path.name}”不是有效的 Excel 工作簿（.xlsx），可能已损坏或设置了打开密码。", path
        )
    reader = _Reader(on_progress)
    if content == "text":
        encoding, rows = csv_rows(path)
        reader.read_sheet(path.stem, iter(rows))
        kind = "csv"
    else:
        encoding = None
        for name, rows in xlsx_sheets(path):
            reader.read_sheet(name, rows)
        if reader.blank_cells:
            _find_uncalculated_formulas(path, reader)
        kind = "xlsx"
    if not any(s.layout in (LONG, FORM) for s in reader.sheets) and not reader.problems:
        first = reader.sheets[0].name if reader.sheets else path.stem
        reader.problems.append(
            Problem(
                first,
                None,
                F_HEADER,
                "文件中没有可导入的工作表：长表须有“单位代码、数据项代码、报告期、数值”四列表头，"
                "报表格式须有“代码”和“数值”（或“本期”）列。",
            )
        )
    return ValueFile(path, kind, encoding, reader.sheets, reader.records, reader.problems, reader.rows_read)


def _find_uncalculated_formulas(path: Path, reader: _Reader) -> None:
    """Empty value cells that hold a formula Excel never calculated (files made by other programs store the
    formula without its result): they are errors, not blanks to skip, or the numbers would silently be lost."""
    for name, rows in xlsx_sheets(path, formulas=True):
        wanted = reader.blank_cells.get(name)
        if not wanted:
            continue
        last = max(wanted)
        for number, row in enumerate(rows, start=1):
            if number > last:
                break
            reader._tick(name)  # a second read of the sheet: keep the progress moving and Cancel possible
            column = wanted.get(number)
            raw = _at(row, column)
            # =IF(B2="","",…) is blank on purpose, and Excel saves its empty result just like no result.
            if column is None or not (isinstance(raw, str) and raw.startswith("=")) or '""' in raw:
                continue
            layout = next(s for s in reader.sheets if s.name == name)
            layout.blank_values -= 1
            reader.problems.append(
                Problem(
                    name,
                    number,
                    F_VALUE,
                    f"单元格是公式“{raw[:40]}”，但文件里没有保存它的计算结果：请在 Excel 或 WPS 中打开此文件，"
                    "保存后再导入",
                    f"{column_letter(column)}{number}",
                )
            )


class _Reader:
    def __init__(self, on_progress: ProgressFn | None) -> None:
        self.on_progress = on_progress
        self.sheets: list[SheetLayout] = []
        self.records: list[RawRecord] = []
        self.problems: list[Problem] = []
        self.rows_read = 0
        self.blank_cells: dict[str, dict[int, int]] = {}  # sheet -> {row: value column} of empty values
        self._done = 0

    def _tick(self, sheet: str) -> None:
        self._done += 1
        if self.on_progress is not None and self._done % _PROGRESS_EVERY == 0:
            self.on_progress(self._done, sheet)

    def read_sheet(self, name: str, rows: Iterator[Sequence[Any]]) -> None:
        head: list[Sequence[Any]] = []
        layout: SheetLayout | None = None
        for number, row in enumerate(rows, start=1):
            self._tick(name)
            if layout is None:
                head.append(row)
                layout = self._recognise(name, head, number)
                if layout is None and number >= _HEADER_SCAN_ROWS:
                    break
                continue
            if layout.layout == LONG:
                self._long_row(layout, number, row)
            else:
                self._form_row(layout, number, row)
        if layout is None:
            empty = all(_blank(r) for r in head)
            layout = SheetLayout(
                name,
                EMPTY if empty else SKIPPED,
                note="" if empty else "未找到表头（长表或报表格式），已跳过",
            )
        self.sheets.append(layout)

    def _recognise(self, name: str, head: list[Sequence[Any]], number: int) -> SheetLayout | None:
        keys = [_key(v) if v is not None else "" for v in head[-1]]
        found = _match(keys, _LONG_KEYS)
        if all(f in found for f in _REQUIRED_LONG):
            layout = SheetLayout(name, LONG, header_row=number)
        else:
            found = _match(keys, _FORM_KEYS)
            if F_ROW not in found or F_VALUE not in found:
                return None
            layout = SheetLayout(name, FORM, header_row=number)
            self._form_header(layout, head[:-1])
        layout.columns = {f: indexes[0] for f, indexes in found.items()}
        for f, indexes in found.items():
            if len(indexes) > 1:
                first, second = column_letter(indexes[0]), column_letter(indexes[1])
                self.problems.append(
                    Problem(
                        name,
                        number,
                        f,
                        f"表头中“{f}”列出现了两次（{first} 列和 {second} 列），无法确定用哪一列",
                        f"{second}{number}",
                    )
                )
        return layout

    def _form_header(self, layout: SheetLayout, rows: list[Sequence[Any]]) -> None:
        for number, row in enumerate(rows, start=1):
            for index, raw in enumerate(row):
                if raw is None:
                    continue
                text = str(raw)
                match = _LABEL_VALUE.match(text)
                label, value, where = None, None, index
                if match and _key(match.group(1)) in _LABEL_KEYS:
                    label = _LABEL_KEYS[_key(match.group(1))]
                    value = match.group(2) or None
                elif _key(text) in _LABEL_KEYS:
                    label = _LABEL_KEYS[_key(text)]
                if label is None:
                    continue
                if value is None:
                    # "报告期" in one cell and 2024 in the next non-empty cell to its right.
                    for right in range(index + 1, len(row)):
                        if row[right] is not None and str(row[right]).strip():
                            value, where = row[right], right
                            break
                text_value = period_text(value) if label == F_PERIOD else code_text(value)
                if text_value is None or label in layout.header_cells:
                    continue
                layout.header_cells[label] = f"{column_letter(where)}{number}"
                if label == F_FORM:
                    layout.form_code = text_value
                elif label == F_UNIT:
                    layout.unit_code = text_value
                else:
                    layout.period = text_value

    def _long_row(self, layout: SheetLayout, number: int, row: Sequence[Any]) -> None:
        if _blank(row):
            return
        c = layout.columns
        self._keep(
            layout,
            number,
            row,
            unit_code=code_text(_at(row, c[F_UNIT])),
            element_code=code_text(_at(row, c[F_ELEMENT])),
            row_code=None,
            period=period_text(_at(row, c[F_PERIOD])),
        )

    def _form_row(self, layout: SheetLayout, number: int, row: Sequence[Any]) -> None:
        row_code = code_text(_at(row, layout.columns[F_ROW]))
        if row_code is None:
            value = value_cell(_at(row, layout.columns[F_VALUE]))
            if value is not None and any(ch.isdigit() for ch in str(value)):
                # A number with no row code (often under a merged code cell): say so rather than drop it.
                cell = f"{column_letter(layout.columns[F_ROW])}{number}"
                message = (
                    f"这一行填了数值“{value}”，但代码列（{cell}）是空的，无法确定是报表的哪一行；"
                    "如果代码是合并单元格，请取消合并并在每一行填写代码"
                )
                self.problems.append(Problem(layout.name, number, F_ROW, message, cell))
            return  # a heading ("一、床位") or a note under the table
        self._keep(
            layout,
            number,
            row,
            unit_code=layout.unit_code,
            element_code=None,
            row_code=row_code,
            period=layout.period,
        )

    def _keep(
        self,
        layout: SheetLayout,
        number: int,
        row: Sequence[Any],
        *,
        unit_code: str | None,
        element_code: str | None,
        row_code: str | None,
        period: str | None,
    ) -> None:
        """Count a data row read; keep its value as a record, or count it blank."""
        self.rows_read += 1
        value = value_cell(_at(row, layout.columns[F_VALUE]))
        if value is None:
            layout.blank_values += 1
            self.blank_cells.setdefault(layout.name, {})[number] = layout.columns[F_VALUE]
            return
        layout.records += 1
        self.records.append(
            RawRecord(
                sheet=layout,
                row=number,
                unit_code=unit_code,
                element_code=element_code,
                row_code=row_code,
                period=period,
                value=value,
                comment=_comment(_at(row, layout.columns.get(F_COMMENT))),
            )
        )


# --- writing (templates, tests, benchmarks) ----------------------------------------------------------------


def write_long_workbook(
    path: Path | str,
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str] = LONG_HEADERS_ZH,
    sheet_name: str = "数据",
) -> Path:
    """Write rows (unit code, element code, period, value[, comment]) as a long-format .xlsx.

    Codes and periods are written as text cells, so Excel does not turn 01 into 1 when the file is edited.
    """
    import openpyxl

    path = Path(path)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    sheet.append(list(headers))
    for row in rows:
        unit, element, period, value, *rest = row
        codes = [None if v is None else str(v) for v in (unit, element, period)]
        sheet.append([*codes, value, *(rest[:1] or [None])])
    workbook.save(path)
    return path


def write_long_csv(
    path: Path | str,
    rows: Iterable[Sequence[Any]],
    *,
    headers: Sequence[str] = LONG_HEADERS_ZH,
    encoding: str = "utf-8-sig",
) -> Path:
    """Write rows as a long-format CSV (utf-8-sig opens correctly in Excel; 'gbk' is what Excel writes)."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(list(headers))
        for row in rows:
            writer.writerow(["" if v is None else v for v in row])
    return path
