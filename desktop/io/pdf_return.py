"""Write a filled return as PDF (reportlab, imported inside the functions): the same layout as the workbook.

The bundled WenQuanYi Micro Hei (resources/fonts/wqy-microhei.ttc, face 0) is registered as a TrueType font,
so reportlab embeds a subset of it (FontFile2) and the PDF shows the same glyphs on any PC, with or without an
Asian font pack. Every character is checked against that font's cmap before it is drawn:

- a character the font has is drawn with it;
- a Latin-1 character it lacks is drawn with Helvetica (one of the 14 standard PDF fonts every reader has);
- a rare name character outside it (CJK Extension B and beyond, 𠮷) is drawn with a fallback TrueType font
  when the PC has one that covers it — SimSun-ExtB on a Chinese Windows — embedded as a subset like the
  bundled font;
- anything else is drawn as 〓, the marker Chinese typesetting uses for a missing glyph, and reported in
  PdfReport.missing_chars, so the caller can tell the user which characters to check by hand. A box (tofu)
  is never printed.

Header rows repeat on every page, each page is numbered “第 X 页，共 Y 页”, and pages after the first carry a
one-line running head (表号, unit, period, 续表).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from desktop.core import paths
from desktop.io.return_doc import ReturnDocument, column_widths, header_title

FONT_FILE = "wqy-microhei.ttc"
FONT_NAME = "HealthDeskCJK"
FALLBACK_FONT = "Helvetica"
MISSING_MARK = "〓"
# TrueType fonts a Chinese Windows PC has that cover the rare characters (Extension B …) of personal and
# village names; tried in order. Not bundled: they are large and licensed with Windows.
SYSTEM_FALLBACK_FILES = ("simsunb.ttf", "SimSun-ExtB.ttf", "SimSun-ExtG.ttf", "mingliub.ttc")
_MM = 72 / 25.4

_registered: dict[str, object] = {}


@dataclass
class PdfReport:
    path: Path
    pages: int = 0
    missing_chars: list[str] = field(default_factory=list)


def font_path() -> Path:
    return paths.resources_dir() / "fonts" / FONT_FILE


def _font_cmap() -> set[int]:
    """Register the bundled font once per process and return the code points it has glyphs for."""
    if "cmap" not in _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        _fix_to_unicode_beyond_bmp()
        font = TTFont(FONT_NAME, str(font_path()), subfontIndex=0)
        pdfmetrics.registerFont(font)
        _registered["cmap"] = set(font.face.charToGlyph)
    return _registered["cmap"]  # type: ignore[return-value]


def _fix_to_unicode_beyond_bmp() -> None:
    """reportlab writes a character beyond U+FFFF (𠮷, U+20BB7) into the ToUnicode map as five hex digits,
    which readers take for a different character, so a rare name drawn with a fallback font would be
    copied and searched wrongly. Such entries are rewritten as the UTF-16 surrogate pair the PDF
    specification asks for; everything else in reportlab's map is left as it is."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "healthdesk_fixed", False):
        return

    def to_unicode_cmap(fontname, subset):
        text = original(fontname, subset)
        for i, code in enumerate(subset):
            if code > 0xFFFF:
                high, low = divmod(code - 0x10000, 0x400)
                text = text.replace(
                    f"<{i:02X}> <{code:04X}>", f"<{i:02X}> <{0xD800 + high:04X}{0xDC00 + low:04X}>"
                )
        return text

    to_unicode_cmap.healthdesk_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = to_unicode_cmap


def fallback_font_paths() -> list[Path]:
    """The fallback fonts present on this PC (Windows' font folder), in the order they are tried."""
    windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT")
    if not windir:
        return []
    return [p for name in SYSTEM_FALLBACK_FILES if (p := Path(windir) / "Fonts" / name).is_file()]


def _fallback_fonts() -> list[tuple[str, set[int]]]:
    """(registered name, code points) of each usable fallback font, registered once per process. A font
    that cannot be read or may not be embedded is skipped: the characters it would have drawn become 〓."""
    paths_now = fallback_font_paths()
    key = ("fallbacks", tuple(paths_now))
    if key not in _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        fonts = []
        for i, path in enumerate(paths_now):
            name = f"HealthDeskFallback{i}{path.stem}"
            try:
                font = TTFont(name, str(path), subfontIndex=0)
                pdfmetrics.registerFont(font)
            except Exception:  # a damaged or embedding-restricted font is simply not used
                continue
            fonts.append((name, set(font.face.charToGlyph)))
        _registered[key] = fonts
    return _registered[key]  # type: ignore[return-value]


class _Shaper:
    """Turns text into Paragraph markup, choosing a font per character and recording what is missing."""

    def __init__(self) -> None:
        self.cmap = _font_cmap()
        self.fallbacks = _fallback_fonts()
        self.missing: list[str] = []

    def font_runs(self, text: str) -> list[tuple[str, str]]:
        runs: list[tuple[str, str]] = []
        for ch in text:
            if ord(ch) in self.cmap or ch in "\n\t":
                font = FONT_NAME
            elif 0x20 <= ord(ch) <= 0xFF:
                font = FALLBACK_FONT
            elif found := next((name for name, cmap in self.fallbacks if ord(ch) in cmap), None):
                font = found
            else:
                if ch not in self.missing:
                    self.missing.append(ch)
                font, ch = FONT_NAME, MISSING_MARK
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def markup(self, text: str) -> str:
        parts = []
        for font, run in self.font_runs(text):
            # Platypus collapses whitespace, ideographic spaces included; no-break spaces keep the gap.
            body = escape(run).replace("\n", "<br/>").replace("\u3000", "\xa0\xa0\xa0")
            parts.append(body if font == FONT_NAME else f'<font face="{font}">{body}</font>')
        return "".join(parts)

    def draw_right(self, canvas, x: float, y: float, text: str, size: float) -> None:
        """Draw text on the canvas ending at x, each run in its own font (the running head of page 2+)."""
        from reportlab.pdfbase.pdfmetrics import stringWidth

        runs = self.font_runs(text)
        x -= sum(stringWidth(run, font, size) for font, run in runs)
        for font, run in runs:
            canvas.setFont(font, size)
            canvas.drawString(x, y, run)
            x += stringWidth(run, font, size)


def _styles(size: float):
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    base = ParagraphStyle("base", fontName=FONT_NAME, fontSize=size, leading=size * 1.3, wordWrap="CJK")
    return {
        "cell": base,
        "centre": ParagraphStyle("centre", parent=base, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=17, leading=22, alignment=TA_CENTER, spaceAfter=2
        ),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=11.5, alignment=TA_LEFT),
        "line": ParagraphStyle("line", parent=base, fontSize=9.5, leading=13),
        "period": ParagraphStyle("period", parent=base, fontSize=9.5, leading=13, alignment=TA_CENTER),
    }


def write_pdf(doc: ReturnDocument, path: Path) -> PdfReport:
    """Write doc to path as PDF; returns the page count and the characters drawn as 〓."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfgen import canvas as pdfcanvas
    from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    shaper = _Shaper()
    page = landscape(A4) if doc.orientation == "landscape" else A4
    margin_x, margin_top, margin_bottom = 14 * _MM, 14 * _MM, 16 * _MM
    avail = page[0] - 2 * margin_x

    widths = column_widths(doc)
    n = len(doc.columns)
    pad = 4.0
    # Font size that fits the natural widths across the page, between 6.5 and 10 points.
    size = max(6.5, min(10.0, (avail - n * pad) / (sum(widths) / 2)))
    natural = [w * size / 2 + pad for w in widths]
    scale = avail / sum(natural)
    col_widths = [w * scale for w in natural]
    st = _styles(size)

    def para(text: str, style: str = "cell", indent: int = 0) -> Paragraph:
        if indent:
            key = f"{style}+{indent}"
            if key not in st:
                st[key] = ParagraphStyle(key, parent=st[style], leftIndent=indent * size)
            style = key
        return Paragraph(shaper.markup(text), st[style])

    story: list = []
    story.append(para(doc.title, "title"))

    # Identity block at the top right; unit and period on the left, level with its last lines.
    id_width = min(avail * 0.42, max(62 * _MM, avail * 0.3))
    left_width = (avail - id_width) * 0.62
    mid_width = avail - id_width - left_width
    head_rows = []
    k = len(doc.identity)
    unit_start = k - len(doc.unit_lines)
    for i in range(k):
        label, value = doc.identity[i]
        left = ""
        if i >= unit_start:
            u_label, u_value = doc.unit_lines[i - unit_start]
            left = f"{u_label}：{u_value}"
        middle = doc.period_label if i == k - 1 else ""
        head_rows.append([para(left, "line"), para(middle, "period"), para(f"{label}：{value}", "small")])
    head = Table(head_rows, colWidths=[left_width, mid_width, id_width], hAlign="LEFT")
    head.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
            ]
        )
    )
    story += [head, Spacer(1, 3 * _MM)]

    table, header_count = _body_table(doc, para, col_widths, size)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEFTPADDING", (0, 0), (-1, -1), pad / 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad / 2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("ALIGN", (0, header_count - 1), (-1, header_count - 1), "CENTER"),
        *table.spans,
    ]
    for i, row in enumerate(doc.rows):
        if row.emphasis:
            style.append(
                ("BACKGROUND", (0, header_count + i), (-1, header_count + i), colors.HexColor("#eeeeee"))
            )
    for j, column in enumerate(doc.columns):
        if column.is_code or column.centered:
            style.append(("ALIGN", (j, header_count), (j, -1), "CENTER"))
        elif column.numeric:
            style.append(("ALIGN", (j, header_count), (j, -1), "RIGHT"))
    grid = Table(table.data, colWidths=col_widths, repeatRows=header_count, hAlign="CENTER")
    grid.setStyle(TableStyle(style))
    story.append(grid)

    story.append(Spacer(1, 4 * _MM))
    story.append(_signers_table(doc, para, avail))
    if doc.notes:
        notes = [Spacer(1, 3 * _MM), para("说明：", "small"), *(para(note, "small") for note in doc.notes)]
        story.append(KeepTogether(notes))
    if doc.checks:
        story += _checks_story(doc, para, avail)

    running = (
        f"{doc.metadata.get('table_no', '')}　{doc.metadata.get('unit_name', '')}　{doc.period_label}（续表）"
    )
    shaper.font_runs(running)  # records its missing characters before the report is made

    class NumberedCanvas(pdfcanvas.Canvas):
        """Defers drawing the footer until the page count is known (第 X 页，共 Y 页)."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.setFont(FONT_NAME, 9)
                self.drawCentredString(page[0] / 2, 8 * _MM, f"第 {number} 页，共 {total} 页")
                if number > 1:
                    shaper.draw_right(self, page[0] - margin_x, page[1] - 8 * _MM, running, 8)
                super().showPage()
            report.pages = total
            super().save()

    report = PdfReport(path)
    pdf = SimpleDocTemplate(
        str(path),
        pagesize=page,
        leftMargin=margin_x,
        rightMargin=margin_x,
        topMargin=margin_top,
        bottomMargin=margin_bottom,
        title=doc.title,
        subject=doc.metadata.get("table_no", ""),
        author="县域卫生健康规划监测与统计填报",
        keywords=";".join(f"{k}={v}" for k, v in doc.metadata.items()),
    )
    pdf.build(story, canvasmaker=NumberedCanvas)
    report.missing_chars = list(shaper.missing)
    return report


def _signers_table(doc: ReturnDocument, para, avail: float):
    """The footer as cells, so each name sits in its own place whether it is filled or left for a pen: one
    line when the five fit across the page, else two."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Table, TableStyle

    size = 9.5
    texts = [f"{label}：{value}" for label, value in doc.signers]
    # A blank name keeps room for a signature (four characters).
    needed = [
        stringWidth(text, FONT_NAME, size) + (4 * size if not value.strip() else 0) + 3 * size
        for text, (_label, value) in zip(texts, doc.signers, strict=True)
    ]
    rows = [list(range(len(texts)))] if sum(needed) <= avail else [[0, 1, 2], [3, 4]]
    per_row = max(len(r) for r in rows)
    widths = [max(needed[i] for r in rows for i in (r[k : k + 1])) for k in range(per_row)]
    spare = max(avail - sum(widths), 0) / per_row
    widths = [w + spare for w in widths]
    data = [[para(texts[i], "line") for i in r] + [""] * (per_row - len(r)) for r in rows]
    table = Table(data, colWidths=widths, hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


@dataclass
class _Grid:
    data: list[list]
    spans: list[tuple]


def _body_table(doc: ReturnDocument, para, col_widths: list[float], size: float) -> tuple[_Grid, int]:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    n = len(doc.columns)
    titles = [
        header_title(c.title, lambda t, w=w: stringWidth(t, FONT_NAME, size) <= w - 4.0)
        for c, w in zip(doc.columns, col_widths, strict=True)
    ]
    spans: list[tuple] = []
    header: list[list] = []
    if doc.has_groups:
        top: list = [""] * n
        second: list = [""] * n
        j = 0
        while j < n:
            column = doc.columns[j]
            if column.group:
                end = j
                while end + 1 < n and doc.columns[end + 1].group == column.group:
                    end += 1
                top[j] = para(column.group, "centre")
                if end > j:
                    spans.append(("SPAN", (j, 0), (end, 0)))
                for k in range(j, end + 1):
                    second[k] = para(titles[k], "centre")
                j = end + 1
            else:
                top[j] = para(titles[j], "centre")
                spans.append(("SPAN", (j, 0), (j, 1)))
                j += 1
        header = [top, second]
    else:
        header = [[para(title, "centre") for title in titles]]
    # 栏号 are short; ASCII ones are drawn as plain strings, anything else goes through the shaper.
    header.append([para(c.number, "centre") if _needs_para(c.number) else c.number for c in doc.columns])
    body = []
    for row in doc.rows:
        cells: list = []
        for column, cell in zip(doc.columns, row.cells, strict=True):
            text = cell.text
            if column.numeric or column.is_code:
                style = "centre" if column.is_code or column.centered else "right"
                cells.append(para(text, style) if _needs_para(text) else text)
            else:
                cells.append(para(text, "centre" if column.centered else "cell", cell.indent))
        body.append(cells)
    return _Grid(header + body, spans), len(header)


def _needs_para(text: str) -> bool:
    """Plain strings are drawn in the CJK font without a per-character check; send anything unusual through
    a Paragraph, which goes through the shaper."""
    return not all(ch.isascii() and ch.isprintable() for ch in text)


def _checks_story(doc: ReturnDocument, para, avail: float) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    rows: list[list[Paragraph | str]] = [
        [para(t, "centre") for t in ("序号", "审核关系", "类别", "问题", "调查对象审核错误说明")]
    ]
    for i, check in enumerate(doc.checks, start=1):
        rows.append(
            [
                str(i),
                para(check.expression),
                para(check.severity, "centre"),
                para(check.message),
                para(check.explanation or "（未填写）"),
            ]
        )
    fractions = (0.07, 0.2, 0.09, 0.29, 0.35)
    table = Table(rows, colWidths=[avail * f for f in fractions], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("FONTNAME", (0, 0), (-1, -1), FONT_NAME),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ]
        )
    )
    # The heading starts a new page together with the table rather than end a page on its own; a table
    # taller than a page still splits, with its header row repeated.
    return [KeepTogether([Spacer(1, 5 * _MM), para("审核错误说明：", "line"), Spacer(1, 2), table])]
