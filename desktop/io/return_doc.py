"""A filled return as the Excel and PDF writers see it: texts and numbers in printed order, nothing else.

desktop.ops builds a ReturnDocument from the database; desktop.io.xlsx_return and desktop.io.pdf_return
render it. Keeping the two writers on one plain model is what makes the workbook and the PDF show the same
return. Standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SIGNER_LABELS = ("单位负责人", "统计负责人", "填表人", "联系电话", "报出日期")
# Text a spreadsheet would take for a formula if it were not marked as text.
FORMULA_TRIGGERS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class DocColumn:
    title: str
    number: str  # 栏号 (甲, 乙, 1 …)
    group: str | None = None
    width: float | None = None  # in Chinese characters; None = fit the content
    numeric: bool = False
    is_code: bool = False  # row codes and unit codes: always written as text
    centered: bool = False  # short labels (计量单位, 状态, dates) sit in the middle of their cell


@dataclass(frozen=True)
class DocCell:
    value: str | int | float | None = None
    decimals: int | None = None  # numbers are shown with exactly this many decimals (trailing zeros kept)
    indent: int = 0  # 其中 nesting of a name

    @property
    def text(self) -> str:
        """The cell as printed."""
        if self.value is None:
            return ""
        if isinstance(self.value, str):
            return self.value
        return format_number(self.value, self.decimals)


@dataclass(frozen=True)
class DocRow:
    code: str
    cells: tuple[DocCell, ...]
    emphasis: bool = False  # a 合计 row


@dataclass(frozen=True)
class DocCheck:
    rule: str
    expression: str
    severity: str  # as printed: 强制性 / 说明性
    message: str
    explanation: str | None


@dataclass(frozen=True)
class ReturnDocument:
    title: str
    identity: tuple[tuple[str, str], ...]
    unit_lines: tuple[tuple[str, str], ...]
    period_label: str
    columns: tuple[DocColumn, ...]
    rows: tuple[DocRow, ...]
    signers: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()
    checks: tuple[DocCheck, ...] = ()
    orientation: str = "portrait"  # portrait | landscape (already decided)
    sheet_name: str = "报表"
    metadata: dict[str, str] = field(default_factory=dict)

    @property
    def has_groups(self) -> bool:
        return any(c.group for c in self.columns)


def format_number(value: int | float, decimals: int | None) -> str:
    """A number as a statistical form prints it: 四舍五入 to `decimals` places, trailing zeros kept."""
    if isinstance(value, bool):
        value = int(value)
    if decimals is None:
        if isinstance(value, int) or float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    exact = round_half_up(value, decimals)
    return str(abs(exact) if exact == 0 else exact)  # -0.03 printed to one place is 0.0, not -0.0


def round_half_up(value: int | float, decimals: int) -> Decimal:
    """四舍五入 on the decimal text (61.385 → 61.39), as statisticians round, not banker's rounding."""
    try:
        exact = Decimal(repr(float(value))) if not isinstance(value, int) else Decimal(value)
        return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # NaN or infinity never reach here from the ops layer; be safe anyway
        return Decimal(0)


def rounded_value(value: int | float, decimals: int | None) -> int | float:
    """The number written into a spreadsheet cell: the printed value, as int when it has no decimals."""
    if decimals is None:
        return value
    exact = round_half_up(value, decimals)
    if exact == 0:
        exact = abs(exact)
    return int(exact) if decimals == 0 else float(exact)


# Widths in half-width character cells: text wraps beyond _MAX_TEXT, headers wrap beyond _MAX_HEADER.
_MAX_TEXT = 36
_MAX_HEADER = 8
_MIN_WIDTH = 4


def column_widths(doc: ReturnDocument) -> list[float]:
    """Each column's width in half-width character cells (a Chinese character is two): the template's
    width when it gives one, else fitted to the longest entry, capped so long names wrap instead."""
    widths = []
    for i, column in enumerate(doc.columns):
        if column.width is not None:
            widths.append(column.width * 2 + 1)
            continue
        longest = max(
            (display_width(row.cells[i].text) + 2 * row.cells[i].indent for row in doc.rows), default=0
        )
        header = min(display_width(column.title), _MAX_HEADER)
        widths.append(max(_MIN_WIDTH, min(max(longest, header), _MAX_TEXT)) + 1)
    return widths


def header_title(title: str, fits) -> str:
    """A column title broken into lines that fit (`fits(line)` says whether one does), never inside a unit in
    brackets: 任务数（人） becomes 任务数 / （人） and 规范管理率（%） 规范管理 / 率（%）, where letting the
    renderer wrap gives 任务数（ / 人）. A title that fits, or has its own line breaks, is kept as written."""
    if "\n" in title or fits(title):
        return title
    tokens = re.findall(r"[（(][^）)]*[）)]|.", title)
    lines = [""]
    for token in tokens:
        if lines[-1] and not fits(lines[-1] + token):
            lines.append("")
        lines[-1] += token
    return "\n".join(lines)


def display_width(text: str) -> int:
    """Width in half-width character cells: Chinese characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def safe_file_stem(text: str, limit: int = 80) -> str:
    """A file name from 表号/unit/period text: no characters Windows refuses, not too long."""
    cleaned = "".join("_" if ch in '\\/:*?"<>|' or ord(ch) < 32 else ch for ch in text).strip(" .")
    return cleaned[:limit] or "报表"
