"""Provincial-format returns: the template catalogue, its editable identity block, filling a return from the
database, and exporting it to .xlsx or .pdf.

`fill_return(conn, template_id=…, org_unit_code=…, period=…)` gives a FilledReturn: the identity block in force
(the template's defaults overlaid by the settings table), the unit, the period, the rows with their values
and where each came from, the signer footer from the review state, the entry checks' results and a warning
when the template has expired. `export_return` writes it. Nothing here writes values; the only write is
`set_template_identity` (settings), in one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.core import paths
from desktop.core.checks import CURRENT, RuleSyntaxError, evaluate_rule, parse_rule
from desktop.core.periods import Period, PeriodError, current_open_period, parse_period
from desktop.io.return_doc import (
    SIGNER_LABELS,
    DocCell,
    DocCheck,
    DocColumn,
    DocRow,
    ReturnDocument,
    column_widths,
    format_number,
    safe_file_stem,
)
from desktop.io.template_model import (
    IDENTITY_FIELDS,
    Identity,
    ReturnTemplate,
    TemplateError,
    format_valid_until,
    parse_valid_until,
)
from desktop.io.templates import load_templates
from desktop.ops.changes import OpChanges
from desktop.ops.checks import CheckError, run_checks
from desktop.ops.progress import Progress, report
from desktop.ops.return_plans import fill_plan_indicators, fill_projects
from desktop.ops.return_values import (
    CellRef,
    FilledCell,
    FilledRow,
    ReturnError,
    fill_rows_layout,
    fill_units_layout,
)
from desktop.store import elements, orgunits, workflow
from desktop.store import returns as store
from desktop.store.db import atomic, set_setting

__all__ = [
    "CENTERED_FIELDS",
    "CellRef",
    "CheckLine",
    "ExportResult",
    "FilledCell",
    "FilledReturn",
    "FilledRow",
    "ReturnError",
    "effective_identity",
    "eligible_units",
    "export_return",
    "fill_return",
    "get_template",
    "list_templates",
    "period_choices",
    "set_template_identity",
]

SEVERITY_LABELS = {"blocking": "强制性", "explain": "说明性"}
# Above this many half-width characters across, a portrait A4 page would need a font too small to read.
_PORTRAIT_MAX_WIDTH = 118
CENTERED_FIELDS = {
    "unit", "nature", "stage", "status", "milestones", "latest_year", "domain", "baseline", "target",
    "planned_start", "actual_start", "planned_finish", "actual_finish",
}  # fmt: skip
_RECENT_PERIODS = {"year": 6, "quarter": 8, "month": 12, "mch_year": 6}


@dataclass(frozen=True)
class CheckLine:
    """One entry check's result as the return shows it (from desktop.ops.checks)."""

    rule_code: str
    expression: str
    severity: str  # blocking | explain
    passed: bool
    message: str
    explanation: str | None = None
    row_codes: tuple[str, ...] = ()
    detail: str = ""  # the numbers behind a failure


@dataclass(frozen=True)
class FilledReturn:
    template: ReturnTemplate
    identity: Identity
    unit: orgunits.OrgUnit
    period: Period
    rows: tuple[FilledRow, ...]
    signers: workflow.ReturnState | None = None
    checks: tuple[CheckLine, ...] = ()
    expired: bool = False
    warnings: tuple[str, ...] = ()
    data_set_id: int | None = None

    @property
    def failed_checks(self) -> tuple[CheckLine, ...]:
        return tuple(c for c in self.checks if not c.passed)

    def signer_values(self) -> dict[str, str]:
        """{label: text} of the footer: names recorded by the workflow, 报出日期 once approved."""
        s = self.signers or workflow.ReturnState(0, 0, "")
        approved = s.approved_at[:10] if s.approved_by and s.approved_at else None
        when = date.fromisoformat(approved) if approved else None
        return {
            "单位负责人": s.approved_by or "",
            "统计负责人": s.reviewed_by or "",
            "填表人": s.submitted_by or "",
            "联系电话": s.contact_phone or "",
            "报出日期": f"{when.year}年{when.month}月{when.day}日" if when else "　　年　　月　　日",
        }

    def document(self) -> ReturnDocument:
        """The return as the Excel and PDF writers draw it."""
        return _document(self)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str  # xlsx | pdf
    rows: int
    seconds: float
    warnings: tuple[str, ...] = ()
    missing_chars: tuple[str, ...] = ()  # characters the PDF font lacks, drawn as 〓
    changes: OpChanges = field(default_factory=OpChanges)


# --- the catalogue ----------------------------------------------------------------------------------------


def list_templates(directory: Path | None = None, problems: list[str] | None = None) -> list[ReturnTemplate]:
    """Every bundled template (report_templates/*.toml). Raises ReturnError naming a malformed file — unless
    a `problems` list is given: then a malformed file is left out and its message (file and key) appended,
    so the other returns stay usable."""
    errors: list[TemplateError] | None = [] if problems is not None else None
    try:
        templates = load_templates(directory or paths.templates_dir(), errors)
    except TemplateError as exc:
        raise ReturnError(exc.message) from exc
    if problems is not None and errors:
        problems.extend(e.message for e in errors)
    return templates


def get_template(template_id: str, directory: Path | None = None) -> ReturnTemplate:
    """The template with this id (or 表号 as printed), or ReturnError listing the ones there are (and any
    template file that could not be read, which may be the one meant)."""
    problems: list[str] = []
    templates = list_templates(directory, problems)
    for t in templates:
        if t.id == template_id or t.identity.table_no == template_id:
            return t
    known = "、".join(f"{t.id}（{t.title}）" for t in templates) or "无"
    broken = "\n另有模板文件有误，未能读取：\n" + "\n".join(problems) if problems else ""
    raise ReturnError(f"找不到报表模板“{template_id}”。现有模板：{known}{broken}")


def effective_identity(conn: sqlite3.Connection, template: ReturnTemplate) -> Identity:
    """The identity block in force: the template's defaults, overridden field by field by the settings."""
    overrides = store.list_template_settings(conn, template.id)
    values = {k: overrides.get(k) or getattr(template.identity, k) for k in IDENTITY_FIELDS}
    return Identity(**values)


def set_template_identity(
    conn: sqlite3.Connection, template: ReturnTemplate, values: dict[str, str | None]
) -> OpChanges:
    """Store identity overrides (表号 … 有效期至) for one template; an empty value or the default removes it.

    Raises ReturnError for an unknown field or an unreadable 有效期至; nothing is written then.
    """
    for key, value in values.items():
        if key not in IDENTITY_FIELDS:
            raise ReturnError(f"表头项“{key}”不存在（可改：{'、'.join(IDENTITY_FIELDS.values())}）")
        if key == "valid_until" and value and value.strip() and parse_valid_until(value) is None:
            raise ReturnError(f"有效期至“{value.strip()}”不是日期，应写作 2027-12 或 2027-12-31")
    changed = False
    with atomic(conn):
        for key, value in values.items():
            setting = store.template_setting_key(template.id, key)
            text = (value or "").strip()
            if not text or text == getattr(template.identity, key):
                changed |= store.delete_setting(conn, setting)
            else:
                changed |= store.list_template_settings(conn, template.id).get(key) != text
                set_setting(conn, setting, text)
    return OpChanges(returns=changed)


def expiry_warning(template: ReturnTemplate, identity: Identity, today: date) -> str | None:
    """The sentence shown when a template is past its 有效期至 (it still exports)."""
    if not identity.expired_on(today):
        return None
    return (
        f"报表“{template.title}”（{identity.table_no}）的有效期至 {format_valid_until(identity.valid_until)}，"
        "已过期。仍可导出，但请核对上级是否已发布新版表式，并在“表头设置”中更新表号和批准文号。"
    )


def eligible_units(conn: sqlite3.Connection, template: ReturnTemplate) -> list[orgunits.OrgUnit]:
    """The units that file this return (by unit type), in tree order."""
    units = orgunits.list_org_units(conn)
    if not template.unit_types:
        return units
    return [u for u in units if u.unit_type in template.unit_types]


def period_choices(
    conn: sqlite3.Connection, template: ReturnTemplate, unit_id: int | None = None, today: date | None = None
) -> tuple[list[Period], Period]:
    """(periods to offer, newest first; the one to preselect).

    Offers the recent periods of the template's type plus every earlier one holding data for the unit or the
    units directly under it (read through the unit/period index, so it stays quick on a large file), and
    preselects the newest period with data — else the one being filled now.
    """
    today = today or date.today()
    current = current_open_period(template.period_type, today)
    recent = [current]
    while len(recent) < _RECENT_PERIODS[template.period_type]:
        recent.append(recent[-1].previous())
    with_data: set[Period] = set()
    if unit_id is not None and template.layout in ("rows", "units", "plan_indicators"):
        unit_ids = [unit_id, *(u.id for u in orgunits.list_children(conn, unit_id))]
        marks = ",".join("?" * len(unit_ids))
        rows = conn.execute(
            f"SELECT DISTINCT period FROM data_value WHERE org_unit_id IN ({marks})", unit_ids
        )
        for (code,) in rows:
            try:
                p = parse_period(code)
            except PeriodError:
                continue
            if p.type == template.period_type and p <= current:
                with_data.add(p)
    choices = sorted(set(recent) | with_data, reverse=True)
    return choices, max(with_data) if with_data else current


# --- filling ----------------------------------------------------------------------------------------------


def _find_unit(conn: sqlite3.Connection, code: str) -> orgunits.OrgUnit:
    unit = orgunits.get_org_unit_by_code(conn, code)
    if unit is None:
        # A printed return names its unit by 统一社会信用代码, or a region by its 行政区划代码.
        for candidate in orgunits.list_org_units(conn):
            if candidate.uscc == code or (candidate.level <= 2 and candidate.admin_code == code):
                return candidate
        raise ReturnError(f"找不到单位“{code}”（可用单位代码、统一社会信用代码或行政区划代码）")
    return unit


def fill_return(
    conn: sqlite3.Connection,
    *,
    template_id: str | ReturnTemplate,
    org_unit_code: str,
    period: str | Period,
    today: date | None = None,
    progress: Progress | None = None,
) -> FilledReturn:
    """The return filled from the database. Raises ReturnError (Chinese) for an unknown template, unit or
    period, or a template that names data this database does not have."""
    today = today or date.today()
    template = template_id if isinstance(template_id, ReturnTemplate) else get_template(template_id)
    unit = _find_unit(conn, org_unit_code)
    try:
        p = parse_period(period, template.period_type)
    except PeriodError as exc:
        raise ReturnError(f"报表“{template.title}”的报告期：{exc}") from exc
    report(progress, 0.05, "正在读取数据…")
    if template.layout == "rows":
        rows = fill_rows_layout(conn, template, unit, p)
    elif template.layout == "units":
        rows = fill_units_layout(conn, template, unit, p)
    elif template.layout == "plan_indicators":
        rows = fill_plan_indicators(conn, template, unit, p)
    else:
        rows = fill_projects(conn, template, unit, p, today)
    report(progress, 0.4, "正在审核…")
    identity = effective_identity(conn, template)
    warnings = []
    if template.unit_types and unit.unit_type not in template.unit_types:
        warnings.append(f"“{unit.name}”（{unit.unit_type_name}）通常不填报“{template.title}”。")
    expired = expiry_warning(template, identity, today)
    if expired:
        warnings.insert(0, expired)
    data_set = elements.get_data_set_by_code(conn, template.data_set) if template.data_set else None
    signers = workflow.get_return_state(conn, data_set.id, unit.id, p.code) if data_set else None
    checks = (_checks(conn, template, unit, p) if data_set else ()) + _relation_checks(template, rows)
    return FilledReturn(
        template=template,
        identity=identity,
        unit=unit,
        period=p,
        rows=tuple(rows),
        signers=signers,
        checks=checks,
        expired=expired is not None,
        warnings=tuple(warnings),
        data_set_id=data_set.id if data_set else None,
    )


def _checks(
    conn: sqlite3.Connection, template: ReturnTemplate, unit: orgunits.OrgUnit, p: Period
) -> tuple[CheckLine, ...]:
    """The entry checks of the return's form (desktop.ops.checks), as the return shows them."""
    try:
        results = run_checks(
            conn, data_set_code=template.data_set or "", org_unit_code=unit.code, period=p.code
        )
    except CheckError as exc:
        raise ReturnError(f"报表“{template.title}”无法审核：{exc.message}") from exc
    return tuple(
        CheckLine(
            rule_code=r.rule_code,
            expression=r.expression,
            severity=r.severity,
            passed=r.passed,
            message=r.message,
            explanation=r.explanation,
            row_codes=tuple(r.row_codes),
            detail=r.detail,
        )
        for r in results
        if not r.skipped
    )


def _relation_checks(template: ReturnTemplate, rows: list[FilledRow]) -> tuple[CheckLine, ...]:
    """A by-unit return's printed logic relations over its 栏号 (``8≤7``, ``17≤16``), checked on every unit's
    row: the entry checks see one unit's own form, so a township's 规范管理人数 above its 已管理人数 would
    otherwise be printed under a relation it breaks. Relations naming anything but value columns
    (``3=2÷1×100`` defines a rate) are documentation and are not checked."""
    if template.layout != "units":
        return ()
    columns = {
        c.number: (i, c.title.replace("\n", "")) for i, c in enumerate(template.columns) if c.kind == "value"
    }
    lines: list[CheckLine] = []
    for text in template.relations:
        try:
            rule = parse_rule(text)
        except RuleSyntaxError:
            continue
        if rule.unknown_codes(set(columns)) or rule.uses_previous or rule.uses_last_year:
            continue
        failed = []
        for row in rows:

            def lookup(code: str, period: str, row: FilledRow = row) -> float | None:
                return row.cells[columns[code][0]].number if period == CURRENT else None

            if evaluate_rule(rule, lookup).status == "fail":
                numbers = "，".join(
                    f"第{code}栏“{columns[code][1]}”为 {format_number(lookup(code, CURRENT) or 0, None)}"
                    for code in rule.row_codes
                )
                message = f"{row.name}：{numbers}，不符合表式说明“{text}”"
                failed.append(CheckLine("表式说明", text, "explain", False, message, row_codes=(row.code,)))
        lines += failed or [CheckLine("表式说明", text, "explain", True, f"各单位均符合表式说明“{text}”")]
    return tuple(lines)


# --- the printed form -------------------------------------------------------------------------------------


def unit_lines(unit: orgunits.OrgUnit) -> tuple[tuple[str, str], ...]:
    """The unit block printed above the table: its code (统一社会信用代码, else 行政区划代码) and name."""
    if unit.uscc:
        code_line = ("统一社会信用代码", unit.uscc)
    elif unit.admin_code:
        code_line = ("行政区划代码", unit.admin_code)
    else:
        code_line = ("单位代码", unit.code)
    return (code_line, ("单位名称（盖章）", unit.name))


# Checks the program adds to a form's own rules carry internal codes (REQUIRED:01.2); printed as words.
_GENERATED_RULES = {"REQUIRED": "必填项", "RANGE": "取值范围"}


def rule_label(rule_code: str) -> str:
    """A check's code as printed on the 审核说明 sheet: the form's rule code, or words for a generated one."""
    kind, sep, row = rule_code.partition(":")
    if sep and kind in _GENERATED_RULES:
        return f"{_GENERATED_RULES[kind]}（第 {row} 行）"
    return rule_code


def _document(filled: FilledReturn) -> ReturnDocument:
    template = filled.template
    code_key = template.code_column.key if template.code_column else None
    columns = tuple(
        DocColumn(
            title=c.title,
            number=c.number,
            group=c.group,
            width=c.width,
            numeric=c.numeric,
            is_code=c.key == code_key,
            centered=c.field in CENTERED_FIELDS,
        )
        for c in template.columns
    )
    rows = []
    for row in filled.rows:
        cells = []
        for column, cell in zip(template.columns, row.cells, strict=True):
            indent = row.level if column.field == "name" and template.layout == "rows" else 0
            value = cell.value
            if isinstance(value, str) and indent:
                value = value.lstrip("\u3000")
            cells.append(DocCell(value, cell.decimals, indent))
        rows.append(DocRow(row.code, tuple(cells), emphasis=row.total))
    notes = [line for line in template.notes.splitlines() if line.strip()]
    if template.relations:
        notes.append("主要逻辑关系：" + "；".join(template.relations) + "。")
    checks = tuple(
        DocCheck(
            rule=rule_label(c.rule_code),
            expression=c.expression,
            severity=SEVERITY_LABELS.get(c.severity, c.severity),
            message=c.message,
            explanation=c.explanation,
        )
        for c in filled.failed_checks
    )
    signer_values = filled.signer_values()
    doc = ReturnDocument(
        title=template.title,
        identity=tuple(filled.identity.lines()),
        unit_lines=unit_lines(filled.unit),
        period_label=filled.period.label_zh,
        columns=columns,
        rows=tuple(rows),
        signers=tuple((label, signer_values[label]) for label in SIGNER_LABELS),
        notes=tuple(notes),
        checks=checks,
        sheet_name=filled.identity.table_no,
        metadata={
            "template": template.id,
            "table_no": filled.identity.table_no,
            "unit_code": filled.unit.code,
            "unit_name": filled.unit.name,
            "period": filled.period.code,
        },
    )
    orientation = template.orientation
    if orientation == "auto":
        orientation = "landscape" if sum(column_widths(doc)) > _PORTRAIT_MAX_WIDTH else "portrait"
    return ReturnDocument(**{**doc.__dict__, "orientation": orientation})


def default_file_name(filled: FilledReturn, suffix: str) -> str:
    """表号_单位_报告期.xlsx — what the save dialog proposes."""
    stem = f"{filled.identity.table_no}_{filled.unit.name}_{filled.period.label_zh}"
    return safe_file_stem(stem) + suffix


def export_return(
    conn: sqlite3.Connection,
    *,
    template_id: str | ReturnTemplate,
    org_unit_code: str,
    period: str | Period,
    out_path: Path | str,
    today: date | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Fill the return and write it to out_path (.xlsx or .pdf, by suffix). The file appears whole or not at
    all: it is written beside the target and renamed. Raises ReturnError with a Chinese message."""
    started = time.perf_counter()
    out_path = Path(out_path)
    fmt = out_path.suffix.lower().lstrip(".")
    if fmt not in ("xlsx", "pdf"):
        raise ReturnError(
            f"不支持的导出格式“{out_path.suffix or '（无扩展名）'}”：文件名应以 .xlsx 或 .pdf 结尾"
        )
    filled = fill_return(
        conn,
        template_id=template_id,
        org_unit_code=org_unit_code,
        period=period,
        today=today,
        progress=progress,
    )
    doc = filled.document()
    report(progress, 0.5, "正在生成文件…")
    folder = out_path.parent
    if not folder.is_dir():
        raise ReturnError(f"文件夹“{folder}”不存在")
    fd, tmp_name = tempfile.mkstemp(prefix=".healthdesk-", suffix=out_path.suffix, dir=folder)
    os.close(fd)
    tmp = Path(tmp_name)
    missing: tuple[str, ...] = ()
    try:
        if fmt == "xlsx":
            from desktop.io.xlsx_return import write_xlsx

            write_xlsx(doc, tmp)
        else:
            from desktop.io.pdf_return import write_pdf

            missing = tuple(write_pdf(doc, tmp).missing_chars)
        report(progress, 0.95, "正在保存…")
        # mkstemp makes the file private (0600); a return is an ordinary document, so it gets the replaced
        # file's permissions, or the usual ones, as if it had been written in place.
        os.chmod(tmp, stat.S_IMODE(out_path.stat().st_mode) if out_path.exists() else 0o644)
        os.replace(tmp, out_path)
    except PermissionError as exc:
        raise ReturnError(
            f"无法写入“{out_path}”：文件可能正被 Excel 或 PDF 阅读器打开，请关闭后重试"
        ) from exc
    except OSError as exc:
        raise ReturnError(f"无法写入“{out_path}”：{exc.strerror or exc}") from exc
    finally:
        if tmp.exists():
            tmp.unlink()
    warnings = list(filled.warnings)
    if missing:
        warnings.append(
            f"字体中缺少 {len(missing)} 个字符（{'、'.join(missing)}），PDF 中以“〓”标出，请手工核对。"
        )
    report(progress, 1.0, "已导出")
    return ExportResult(
        path=out_path,
        format=fmt,
        rows=len(filled.rows),
        seconds=time.perf_counter() - started,
        warnings=tuple(warnings),
        missing_chars=missing,
    )
