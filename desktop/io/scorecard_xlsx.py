"""Write a township scorecard to an xlsx workbook: values coloured by status, and the reasons on a second sheet.

Plain data in (ScorecardSheet), a file out; openpyxl is imported inside the writer. The workbook is written to a
temporary file beside the target and moved into place, so a failure never leaves half a file under the name the
user chose.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# (value or None, status label, fill colour '#rrggbb', reason)
Cell = tuple[float | None, str, str, str]


class ExportError(OSError):
    """The workbook could not be written; .message is Chinese and names the file."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ScorecardSheet:
    title: str
    subtitle: str
    headers: list[tuple[str, str]]  # (indicator name with unit, target text) per column
    number_formats: list[str]
    area_name: str
    area_cells: list[Cell]
    row_names: list[str]
    rows: list[list[Cell]]
    legend: list[tuple[str, str]]  # (status label, fill colour)


def write_scorecard_xlsx(path: Path, sheet: ScorecardSheet) -> Path:
    """Write sheet to path (xlsx) and return path; raises ExportError with a Chinese message."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    ws = book.active
    ws.title = "记分卡"
    thin = Side(style="thin", color="BBBBBB")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="center", horizontal="center")

    ws.cell(1, 1, sheet.title).font = Font(bold=True, size=14)
    ws.cell(2, 1, sheet.subtitle).font = Font(color="555555")
    ws.cell(4, 1, "乡镇（街道）").font = bold
    ws.cell(5, 1, "目标").font = Font(color="555555")
    for n, (name, target) in enumerate(sheet.headers, start=2):
        head = ws.cell(4, n, name)
        head.font, head.alignment, head.border = bold, wrap, border
        sub = ws.cell(5, n, target)
        sub.alignment, sub.border = wrap, border
        sub.font = Font(color="555555", size=9)
        ws.column_dimensions[get_column_letter(n)].width = 16
    ws.column_dimensions["A"].width = 22
    ws.row_dimensions[4].height = 60
    ws.row_dimensions[5].height = 30

    def put_row(row: int, name: str, cells: list[Cell], emphasis: bool = False) -> None:
        label = ws.cell(row, 1, name)
        label.border = border
        label.font = bold if emphasis else Font()
        for n, (value, status, colour, reason) in enumerate(cells, start=2):
            target = ws.cell(row, n, value if value is not None else status)
            target.fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
            target.border = border
            target.alignment = Alignment(horizontal="right" if value is not None else "center")
            if value is not None:
                target.number_format = sheet.number_formats[n - 2]
            target.comment = Comment(f"{status}：{reason}", "县域卫健规划监测", width=320, height=120)

    put_row(6, sheet.area_name, sheet.area_cells, emphasis=True)
    for offset, (name, cells) in enumerate(zip(sheet.row_names, sheet.rows, strict=True)):
        put_row(7 + offset, name, cells)
    ws.freeze_panes = "B6"

    legend_row = 8 + len(sheet.rows)
    ws.cell(legend_row, 1, "图例").font = bold
    for n, (label, colour) in enumerate(sheet.legend, start=2):
        key = ws.cell(legend_row, n, label)
        key.fill = PatternFill("solid", fgColor=colour.lstrip("#").upper())
        key.alignment, key.border = Alignment(horizontal="center"), border

    reasons = book.create_sheet("原因说明")
    reasons.append(["乡镇（街道）", "指标", "目标", "数值", "状态", "原因"])
    for cell in reasons[1]:
        cell.font = bold
    everyone = [(sheet.area_name, sheet.area_cells), *zip(sheet.row_names, sheet.rows, strict=True)]
    for name, cells in everyone:
        for (indicator, target), (value, status, _colour, reason) in zip(sheet.headers, cells, strict=True):
            reasons.append([name, indicator, target, value, status, reason])
    for letter, width in zip("ABCDEF", (22, 36, 20, 12, 10, 90), strict=True):
        reasons.column_dimensions[letter].width = width

    path = Path(path)
    temporary = path.with_name(f".{path.name}.part")
    try:
        book.save(temporary)
        os.replace(temporary, path)
    except OSError as exc:
        temporary.unlink(missing_ok=True)
        raise ExportError(
            f"无法写入文件“{path}”：{exc.strerror or exc}（文件是否正在 Excel/WPS 中打开？）"
        ) from exc
    return path
