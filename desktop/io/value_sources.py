"""The raw side of reading a value file (desktop.io.value_workbook): what the file really is, whatever its name
says, the text encoding of a CSV, and the cells of a workbook as the clerk sees them in Excel.

Kept apart from the layouts so each module stays readable; value_workbook re-exports what callers use.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any


class WorkbookError(Exception):
    """The file as a whole cannot be read; .message is Chinese and names the file."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None


def detect_encoding(data: bytes) -> str:
    """'utf-8-sig' (BOM), 'utf-8', or 'gbk' (read as gb18030, its superset). Raises WorkbookError otherwise."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise WorkbookError("无法识别文件的文字编码（既不是 UTF-8 也不是 GBK）。") from exc
    return "gbk"


def csv_rows(path: Path) -> tuple[str, list[list[str]]]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise WorkbookError(f"无法读取文件“{path.name}”：{exc.strerror or exc}", path) from exc
    try:
        encoding = detect_encoding(data)
    except WorkbookError as exc:
        raise WorkbookError(
            f"文件“{path.name}”：{exc.message}请另存为 UTF-8 或 GBK 编码的 CSV。", path
        ) from exc
    text = data.decode("gb18030" if encoding == "gbk" else encoding)
    first_line = text.split("\n", 1)[0]
    # Excel's "Unicode text" export is tab separated; everything else a clerk makes is comma separated.
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise WorkbookError(f"文件“{path.name}”不是有效的 CSV：{exc}", path) from exc
    return encoding, rows


def xlsx_sheets(path: Path, *, formulas: bool = False) -> Iterator[tuple[str, Iterator[Sequence[Any]]]]:
    import zipfile

    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        # A file object, not the name: openpyxl refuses a workbook whose name does not end in .xlsx.
        handle = path.open("rb")
    except OSError as exc:
        raise WorkbookError(f"无法读取文件“{path.name}”：{exc.strerror or exc}", path) from exc
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=not formulas)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        handle.close()
        raise WorkbookError(
            f"文件“{path.name}”不是有效的 Excel 工作簿（.xlsx），可能已损坏或设置了打开密码。", path
        ) from exc
    try:
        for sheet in workbook.worksheets:
            # Some programs write a wrong sheet size; forget it and read every row there is.
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            if formulas:
                yield sheet.title, sheet.iter_rows(min_row=1, values_only=True)
            else:
                yield sheet.title, ([xlsx_value(c) for c in row] for row in sheet.iter_rows(min_row=1))
    finally:
        workbook.close()
        handle.close()


def xlsx_value(cell: Any) -> Any:
    """A cell's value as the clerk sees it in Excel: 28.5% typed in a percent cell is stored as 0.285, so it is
    read as the text "28.5%"; binary noise of a formula (1430.0000000000002) is cut to Excel's 15 digits."""
    value = cell.value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    if isinstance(value, float) and math.isfinite(value):
        value = float(f"{value:.15g}")
    if "%" in (cell.number_format or ""):
        return format((Decimal(repr(value)) * 100).normalize(), "f") + "%"
    return value


def content_kind(path: Path) -> str:
    """What the file really is, whatever its name says: 'zip' (.xlsx), 'ole2' (.xls/.et, or an .xlsx with an
    opening password), 'html' (the "xls" many web systems export), 'text'. Raises WorkbookError when empty."""
    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError as exc:
        raise WorkbookError(f"无法读取文件“{path.name}”：{exc.strerror or exc}", path) from exc
    if not head:
        raise WorkbookError(f"文件“{path.name}”是空文件（0 字节），没有可导入的内容。", path)
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole2"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"<meta")):
        return "html"
    return "text"
