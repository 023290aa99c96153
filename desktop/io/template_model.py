"""What a report template is, once read: identity block, columns, rows and where each value comes from.

desktop.io.templates reads and checks the TOML files and builds these; everything else (filling, the Excel
and PDF writers, the reader of filled returns) works with these types only. Standard library plus core.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.core.formulas import Formula

FORMAT_VERSION = 1
LAYOUTS = ("rows", "units", "plan_indicators", "projects")
# The legal identity block, in the order it is printed (top right of every return).
IDENTITY_FIELDS: dict[str, str] = {
    "table_no": "表号", "issuer": "制定机关", "approver": "批准机关", "approval_no": "批准文号",
    "valid_until": "有效期至",
}  # fmt: skip
SOURCE_KINDS = ("element", "rollup", "indicator", "formula")
# Which period a value column reads: the return's own, the same one a year earlier (上年同期), or the year
# the period falls in (a quarterly return's 年度 columns).
COLUMN_PERIODS = ("current", "last_year", "year")
FIELDS_BY_LAYOUT: dict[str, dict[str, str]] = {
    "rows": {"code": "代码", "name": "指标名称", "unit": "计量单位"},
    "units": {"unit_name": "单位名称", "unit_code": "代码"},
    "plan_indicators": {
        "seq": "序号", "domain": "领域", "name": "指标名称", "unit": "单位", "nature": "指标属性",
        "baseline": "基期值", "target": "目标值", "latest": "最新值", "latest_year": "最新值年份",
        "status": "进展状态", "reason": "说明", "lead_department": "责任单位",
    },
    "projects": {
        "seq": "序号", "name": "项目名称", "category": "类别", "owner": "责任单位", "stage": "建设阶段",
        "planned_start": "计划开工", "actual_start": "实际开工", "planned_finish": "计划竣工",
        "actual_finish": "实际竣工", "investment": "计划投资（万元）", "milestones": "节点完成",
        "status": "进度状态", "note": "备注",
    },
}  # fmt: skip
ORIENTATIONS = ("portrait", "landscape", "auto")
PROJECT_FILTERS = ("all", "scheduled")
_VALID_UNTIL = re.compile(r"(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:(?:[-/.月])\s*(\d{1,2})\s*日?|月)?")


class TemplateError(ValueError):
    """A template file that cannot be used; .message is Chinese and names the file and key."""

    def __init__(self, message: str, path: Path | None = None, key: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.key = key


def parse_valid_until(text: str) -> date | None:
    """Read 有效期至 as written (2026-12, 2026-12-31, 2026年12月, 2026年12月31日); None when unreadable.

    A month without a day means the end of that month, which is how the forms print it.
    """
    m = _VALID_UNTIL.fullmatch(text.strip())
    if m is None:
        return None
    year, month = int(m[1]), int(m[2])
    if not 1 <= month <= 12:
        return None
    day = int(m[3]) if m[3] else calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def format_valid_until(text: str) -> str:
    """有效期至 in the printed form (2026年12月); text that cannot be read is printed as written."""
    m = _VALID_UNTIL.fullmatch(text.strip())
    parsed = parse_valid_until(text)
    if m is None or parsed is None:
        return text.strip()
    if m[3]:
        return f"{parsed.year}年{parsed.month}月{parsed.day}日"
    return f"{parsed.year}年{parsed.month}月"


@dataclass(frozen=True)
class Identity:
    """表号, 制定机关, 批准机关, 批准文号, 有效期至 — as printed; they change with each edition."""

    table_no: str
    issuer: str
    approver: str
    approval_no: str
    valid_until: str

    @property
    def valid_until_date(self) -> date | None:
        return parse_valid_until(self.valid_until)

    def expired_on(self, day: date) -> bool:
        """True when 有效期至 is readable and before day."""
        until = self.valid_until_date
        return until is not None and until < day

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) in printed order, 有效期至 in its printed form."""
        result = []
        for key, label in IDENTITY_FIELDS.items():
            value = getattr(self, key)
            result.append((label, format_valid_until(value) if key == "valid_until" else value))
        return result


@dataclass(frozen=True)
class Source:
    """Where a value comes from. For formulas, refs maps the formula's placeholder codes to row codes or
    column keys (the template writes [03]; the parser sees R0)."""

    kind: str
    ref: str
    formula: Formula | None = field(default=None, compare=False)
    refs: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def depends_on(self) -> tuple[str, ...]:
        return tuple(self.refs.values())

    @property
    def stored(self) -> bool:
        """True when the value is one stored data element (so an imported workbook may change it)."""
        return self.kind in ("element", "rollup")


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    number: str  # 栏号 printed under the header: 甲, 乙 … for descriptive columns, 1, 2 … for values
    kind: str  # field | value | change_pct
    field: str | None = None
    source: Source | None = None  # units layout: each value column names its source
    period: str = "current"
    of: tuple[str, str] | None = None  # change_pct: (current column, base column)
    group: str | None = None  # upper header shared by neighbouring columns
    decimals: int | None = None
    width: float | None = None  # in Chinese characters; None = fit the content

    @property
    def numeric(self) -> bool:
        return self.kind in ("value", "change_pct") or self.field in ("latest", "latest_year", "investment")


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    source: Source
    unit: str | None = None
    decimals: int | None = None
    level: int = 0  # 其中 nesting: 0 top, 1 under it …


@dataclass(frozen=True)
class ReturnTemplate:
    id: str
    path: Path
    title: str
    layout: str
    period_type: str
    identity: Identity
    columns: tuple[Column, ...]
    rows: tuple[Row, ...] = ()
    data_set: str | None = None
    unit_types: tuple[str, ...] = ()
    orientation: str = "auto"
    notes: str = ""
    relations: tuple[str, ...] = ()
    description: str = ""
    # units layout
    child_types: tuple[str, ...] = ()
    total_label: str = "合计"
    # plan_indicators / projects layouts
    plan: str | None = None
    target_year: int | None = None
    project_filter: str = "all"
    order: int = 100  # position in the program's list of returns

    def column(self, key: str) -> Column:
        return {c.key: c for c in self.columns}[key]

    def row(self, code: str) -> Row:
        return {r.code: r for r in self.rows}[code]

    @property
    def code_column(self) -> Column | None:
        """The column that identifies a body row (the anchor for importing a filled workbook)."""
        wanted = {"rows": "code", "units": "unit_code", "plan_indicators": "seq", "projects": "seq"}
        for c in self.columns:
            if c.kind == "field" and c.field == wanted[self.layout]:
                return c
        return None

    @property
    def importable(self) -> bool:
        """Only the forms whose cells are stored data elements can be read back into the database."""
        return self.layout in ("rows", "units")
