"""Write a filled return as a provincial-format .xlsx (openpyxl, imported inside the function).

Layout, top to bottom: the merged title; the identity block (表号 … 有效期至) at the top right; the unit's code
and name (盖章) and the period on the left; the bordered table with its header, 栏号 row (甲 乙 丙 1 2 3 …) and
body; the signer footer; the 说明. Row codes and 18-character codes are text cells, numbers keep the
template's decimals (trailing zeros shown), and any text starting with = + - @ is stored as text, never as a
formula. Print setup: A4, the document's orientation, fit to width, header rows repeated, footer
“第 &P 页，共 &N 页”, panes frozen below the header. Failed checks and their 审核说明 go on a second sheet.
"""

from __future__ import annotations

import math
from pathlib import Path

from desktop.io.return_doc import (
    ReturnDocument,
    column_widths,
    display_width,
    header_title,
    looks_like_formula,
    rounded_value,
)

FONT_NAME = "宋体"
IDENTITY_ROWS = 5
_BAD_SHEET_CHARS = "[]:*?/\\"
_LINE_HEIGHT = 14.0  # points per line of 10.5 pt text
_IDENTITY_WIDTH = 30  # half-width cells the identity block needs (批准文号：鲁统制〔2024〕18号)


def sheet_title(text: str) -> str:
    """A legal sheet name: no []:*?/\\ and at most 31 characters."""
    cleaned = "".join("_" if ch in _BAD_SHEET_CHARS else ch for ch in text).strip("'") or "报表"
    return cleaned[:31]


def _number_format(decimals: int | None) -> str:
    if decimals is None:
        return "General"
    return "0" if decimals == 0 else "0." + "0" * decimals


def write_xlsx(doc: ReturnDocument, path: Path) -> Path:
    """Write doc to path (overwriting) and return the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(doc.sheet_name)
    n = len(doc.columns)
    last = get_column_letter(n)
    widths = column_widths(doc)

    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    regular = Font(name=FONT_NAME, size=10.5)
    bold = Font(name=FONT_NAME, size=10.5, bold=True)
    small = Font(name=FONT_NAME, size=9)
    title_font = Font(name=FONT_NAME, size=16, bold=True)
    centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    left_top = Alignment(horizontal="left", vertical="top", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center")

    for i, width in enumerate(widths, start=1):
        # Excel's width unit is about one half-width character of the default font, plus padding.
        ws.column_dimensions[get_column_letter(i)].width = width + 1

    def put(row: int, col: int, value, font=regular, align=left, fmt: str | None = None):
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str) and looks_like_formula(value):
            cell.data_type = "s"  # =SUM(…) typed in a name stays text; Excel shows it as written
            cell.quotePrefix = True
        cell.font = font
        cell.alignment = align
        if fmt is not None:
            cell.number_format = fmt
        return cell

    # Title.
    put(1, 1, doc.title, title_font, centre)
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 30

    # Identity block: the rightmost columns wide enough for the longest line.
    start = n
    while start > 1 and sum(widths[start - 1 :]) < _IDENTITY_WIDTH:
        start -= 1
    start = max(start, 2) if n > 1 else 1
    for k, (label, value) in enumerate(doc.identity):
        r = 2 + k
        put(r, start, f"{label}：{value}", small, left)
        if start < n:
            ws.merge_cells(start_row=r, start_column=start, end_row=r, end_column=n)

    # Unit and period on the left, level with the last identity lines when they fit there; below the
    # identity block otherwise (a narrow form has no room beside it).
    unit_width = max(display_width(f"{label}：{value}") for label, value in doc.unit_lines) + 2
    period_width = display_width(doc.period_label) + 2
    unit_end = 1
    while unit_end < start - 1 and sum(widths[:unit_end]) < unit_width:
        unit_end += 1
    beside = unit_end < start - 1 and sum(widths[unit_end : start - 1]) >= period_width
    if beside:
        first_unit_row, period_col, period_end = (
            2 + IDENTITY_ROWS - len(doc.unit_lines),
            unit_end + 1,
            start - 1,
        )
    else:
        first_unit_row, unit_end, period_col, period_end = 2 + IDENTITY_ROWS, max(n - 1, 1), n, n
    for k, (label, value) in enumerate(doc.unit_lines):
        r = first_unit_row + k
        put(r, 1, f"{label}：{value}", regular, left)
        if unit_end > 1:
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=unit_end)
    period_row = first_unit_row + len(doc.unit_lines) - 1
    put(period_row, period_col, doc.period_label, regular, centre if beside else right)
    if period_end > period_col:
        ws.merge_cells(
            start_row=period_row, start_column=period_col, end_row=period_row, end_column=period_end
        )

    # Header: group row (when any column is grouped), title row, 栏号 row.
    top = period_row + 2
    title_row = top + 1 if doc.has_groups else top
    number_row = title_row + 1
    titles = [
        header_title(col.title, lambda t, w=w: display_width(t) <= w - 1)
        for col, w in zip(doc.columns, widths, strict=True)
    ]
    c = 0
    while c < n:
        column = doc.columns[c]
        if doc.has_groups and column.group:
            end = c
            while end + 1 < n and doc.columns[end + 1].group == column.group:
                end += 1
            put(top, c + 1, column.group, regular, centre)
            if end > c:
                ws.merge_cells(start_row=top, start_column=c + 1, end_row=top, end_column=end + 1)
            for j in range(c, end + 1):
                put(title_row, j + 1, titles[j], regular, centre)
            c = end + 1
            continue
        put(top, c + 1, titles[c], regular, centre)
        if doc.has_groups:
            ws.merge_cells(start_row=top, start_column=c + 1, end_row=title_row, end_column=c + 1)
        c += 1
    for j, column in enumerate(doc.columns, start=1):
        put(number_row, j, column.number, regular, centre, "@")
    header_lines = max(
        sum(math.ceil(display_width(line) / max(w - 1, 1)) for line in title.split("\n"))
        for title, w in zip(titles, widths, strict=True)
    )
    ws.row_dimensions[title_row].height = max(1, min(header_lines, 4)) * _LINE_HEIGHT + 6

    # Body.
    first_body = number_row + 1
    for i, row in enumerate(doc.rows):
        r = first_body + i
        font = bold if row.emphasis else regular
        lines = 1
        for j, (column, cell) in enumerate(zip(doc.columns, row.cells, strict=True), start=1):
            value = cell.value
            if column.is_code:
                put(r, j, "" if value is None else str(value), font, Alignment(horizontal="center"), "@")
            elif isinstance(value, int | float) and not isinstance(value, bool):
                align = centre if column.centered else right
                put(r, j, rounded_value(value, cell.decimals), font, align, _number_format(cell.decimals))
            elif column.numeric:
                put(r, j, value, font, right)
            else:
                horizontal = "center" if column.centered else "left"
                align = Alignment(
                    horizontal=horizontal, vertical="center", wrap_text=True, indent=cell.indent
                )
                put(r, j, value, font, align)
                if isinstance(value, str):
                    room = max(widths[j - 1] - 1 - 2 * cell.indent, 1)
                    lines = max(lines, math.ceil(display_width(value) / room))
        if lines > 1:
            ws.row_dimensions[r].height = lines * _LINE_HEIGHT + 4
    last_body = first_body + len(doc.rows) - 1
    for r in range(top, max(last_body, number_row) + 1):
        for j in range(1, n + 1):
            ws.cell(row=r, column=j).border = box

    # Signer footer and 说明.
    total_width = sum(widths)
    r = max(last_body, number_row) + 2
    signer_text = "　　".join(f"{label}：{value or '　　　　'}" for label, value in doc.signers)
    put(r, 1, signer_text, regular, left)
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
    ws.row_dimensions[r].height = math.ceil(display_width(signer_text) / total_width) * _LINE_HEIGHT + 6
    if doc.notes:
        r += 2
        put(r, 1, "说明：", regular, left)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
        for note in doc.notes:
            r += 1
            put(r, 1, note, small, left_top)
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            # Excel never fits a merged cell's height to its text, so the height is set from the length.
            lines = math.ceil(display_width(note) * 0.9 / max(total_width - 2, 1))
            ws.row_dimensions[r].height = max(lines, 1) * 12.5 + 3

    orientation = "landscape" if doc.orientation == "landscape" else "portrait"
    _print_setup(ws, orientation, f"{top}:{number_row}", f"A1:{last}{r}")
    ws.freeze_panes = ws.cell(row=first_body, column=_first_value_column(doc))

    _write_checks_sheet(wb, doc)
    props = wb.properties
    props.title = doc.title
    props.subject = doc.metadata.get("table_no", "")
    props.creator = "县域卫生健康规划监测与统计填报"
    props.keywords = ";".join(f"{k}={v}" for k, v in doc.metadata.items())
    wb.save(path)
    return path


def _first_value_column(doc: ReturnDocument) -> int:
    for j, column in enumerate(doc.columns, start=1):
        if column.numeric:
            return j
    return 1


def _write_checks_sheet(wb, doc: ReturnDocument) -> None:
    from openpyxl.styles import Alignment, Border, Font, Side

    ws = wb.create_sheet("审核说明")
    thin = Side(style="thin", color="000000")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name=FONT_NAME, size=10.5)
    wrap = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws["A1"] = f"{doc.title}　审核错误说明"
    ws["A1"].font = Font(name=FONT_NAME, size=14, bold=True)
    ws.merge_cells("A1:F1")
    ws["A2"] = (
        "　".join(f"{label}：{value}" for label, value in doc.unit_lines) + f"　报告期：{doc.period_label}"
    )
    ws["A2"].font = font
    ws.merge_cells("A2:F2")
    headers = ("序号", "审核规则", "审核关系", "类别", "问题", "调查对象审核错误说明")
    for j, (text, width) in enumerate(zip(headers, (6, 12, 24, 9, 40, 40), strict=True), start=1):
        cell = ws.cell(row=4, column=j, value=text)
        cell.font, cell.border = font, box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[chr(64 + j)].width = width
    if not doc.checks:
        ws.cell(row=5, column=1, value="本表审核未发现需要说明的问题。").font = font
        ws.merge_cells("A5:F5")
        _print_setup(ws, "landscape", "4:4", "A1:F5")
        return
    for i, check in enumerate(doc.checks, start=1):
        values = (
            str(i),
            check.rule,
            check.expression,
            check.severity,
            check.message,
            check.explanation or "（未填写）",
        )
        for j, text in enumerate(values, start=1):
            cell = ws.cell(row=4 + i, column=j)
            cell.value = text
            if looks_like_formula(text):
                cell.data_type = "s"
                cell.quotePrefix = True
            cell.font, cell.border, cell.alignment = font, box, wrap
        ws.row_dimensions[4 + i].height = max(1, math.ceil(display_width(values[5]) / 38)) * _LINE_HEIGHT + 4
    _print_setup(ws, "landscape", "4:4", f"A1:F{4 + len(doc.checks)}")


def _print_setup(ws, orientation: str, title_rows: str, area: str) -> None:
    """A4, fit to the page width, header rows repeated, numbered pages — the same on every sheet."""
    from openpyxl.worksheet.properties import PageSetupProperties

    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top, ws.page_margins.bottom = 0.6, 0.7
    ws.print_title_rows = title_rows
    ws.print_area = area
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.oddFooter.center.size = 9
