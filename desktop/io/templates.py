"""Report templates (report_templates/*.toml): one provincial-format return per file, checked on load.

A template says what the return looks like and where each number comes from; it never holds data. Four
layouts cover the county's returns:

- ``rows``: one unit's return, indicators down the side (代码 | 指标名称 | 计量单位 | 本期 | 上年同期 | 增减%).
  Each row names its source: ``element`` (the unit's own stored value), ``rollup`` (its own value, else the
  sum of its child units), ``indicator`` (computed from data elements) or ``formula`` over other rows'
  codes, written ``[03] / [06] * 1000``.
- ``units``: the filing unit and its child units down the side (合计 first), measures across; each value
  column names its source, and formulas refer to other columns by key: ``[screened] / [quota] * 100``.
- ``plan_indicators``: a plan's indicator table with baseline, target as written, latest value and status.
- ``projects``: a plan's project register with stage, dates, investment and milestone status.

Errors are TemplateError with a Chinese message that names the file and the key (``rows[3].element``), so
whoever edits a template sees exactly what to fix. Standard library plus desktop.core only.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from desktop.core.codes import CodeError, parse_row_code
from desktop.core.formulas import Formula, FormulaError
from desktop.core.periods import PERIOD_TYPES
from desktop.io.template_model import (
    COLUMN_PERIODS,
    FIELDS_BY_LAYOUT,
    FORMAT_VERSION,
    IDENTITY_FIELDS,
    LAYOUTS,
    ORIENTATIONS,
    PROJECT_FILTERS,
    SOURCE_KINDS,
    Column,
    Identity,
    ReturnTemplate,
    Row,
    Source,
    TemplateError,
)

_CHINESE_NUMBERS = "甲乙丙丁戊己庚辛壬癸"
_REF = re.compile(r"\[([^\[\]]+)\]")
_KEY = re.compile(r"[a-z][a-z0-9_]*")
_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")


# --- reading ------------------------------------------------------------------------------------------


class _Reader:
    """Walks one parsed TOML document, naming the key of every problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, key: str, problem: str) -> TemplateError:
        return TemplateError(f"报表模板“{self.path.name}”的 {key}：{problem}", self.path, key)

    def table(self, data: dict, key: str, where: str, *, required: bool = False) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(_join(where, key), "缺少此项")
            return {}
        if not isinstance(value, dict):
            raise self.fail(_join(where, key), "应为一个表（[...]）")
        return value

    def text(self, data: dict, key: str, where: str, *, required: bool = False, default: str = "") -> str:
        value = data.get(key)
        if value is None:
            if required:
                raise self.fail(_join(where, key), "缺少此项")
            return default
        if not isinstance(value, str):
            raise self.fail(_join(where, key), f"应为文字（加引号），现在是 {_shown(value)}")
        if required and not value.strip():
            raise self.fail(_join(where, key), "不能为空")
        return value.strip()

    def integer(self, data: dict, key: str, where: str, low: int, high: int) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(_join(where, key), f"应为 {low}–{high} 之间的整数，现在是 {_shown(value)}")
        return value

    def texts(self, data: dict, key: str, where: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(_join(where, key), '应为文字的列表，如 ["a", "b"]')
        return tuple(v.strip() for v in value)

    def choice(self, data: dict, key: str, where: str, choices: tuple[str, ...], default: str) -> str:
        value = self.text(data, key, where, default=default)
        if value not in choices:
            raise self.fail(_join(where, key), f"应为 {'、'.join(choices)} 之一，现在是“{value}”")
        return value

    def known_keys(self, data: dict, allowed: set[str], where: str) -> None:
        for key in data:
            if key not in allowed:
                hint = "、".join(sorted(allowed))
                raise self.fail(_join(where, key), f"不认识这一项（可用：{hint}）")


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _shown(value: Any) -> str:
    """A TOML value as the template's author wrote it (not Python's repr)."""
    if isinstance(value, str | bool | date | dict | list):
        kind = {str: f"“{value}”", bool: str(value).lower(), dict: "一个表", list: "一个列表"}
        return kind.get(type(value), f"{value}（没有加引号）")
    return str(value)


_TOP_KEYS = {
    "format", "id", "order", "title", "layout", "period_type", "data_set", "unit_types", "description",
    "identity", "page", "columns", "rows", "notes", "units", "plan", "projects",
}  # fmt: skip
_COLUMN_KEYS = {
    "key", "title", "number", "kind", "field", "element", "rollup", "indicator", "formula", "period",
    "of", "group", "decimals", "width",
}  # fmt: skip
_ROW_KEYS = {"code", "name", "unit", "element", "rollup", "indicator", "formula", "decimals", "level"}


def load_template(path: Path | str) -> ReturnTemplate:
    """Read and check one template file; raise TemplateError naming the file and key of any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise TemplateError(f"无法读取报表模板“{path}”：{exc.strerror or exc}", path) from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise TemplateError(f"报表模板“{path.name}”不是 UTF-8 编码的文字文件", path) from exc
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(f"报表模板“{path.name}”不是有效的 TOML：{_toml_problem(exc)}", path) from exc
    return _build(_Reader(path), data)


# tomllib's messages are English; the common ones are said in Chinese, the original kept for the rest.
_TOML_HINTS = {
    "Illegal character": "有不能出现的字符（常见原因：引号没有配对，或文字中间换了行）",
    "Cannot overwrite a value": "同一项写了两次",
    "Expected ']'": "缺少右方括号 ]",
    "Invalid value": '等号后面的值写法不对（文字要加引号，如 "鲁卫健统1表"）',
}
_TOML_WHERE = re.compile(r"\s*\((?:at line (\d+), column (\d+)|at end of document)\)\s*$")


def _toml_problem(exc: Exception) -> str:
    """tomllib's message as a sentence for whoever edits the file: where, and what is wrong."""
    text = str(exc)
    m = _TOML_WHERE.search(text)
    what = text[: m.start()] if m else text
    where = f"第 {m[1]} 行第 {m[2]} 列" if m and m[1] else "文件末尾" if m else ""
    hint = next((zh for en, zh in _TOML_HINTS.items() if what.startswith(en)), None)
    said = f"{hint}（{what}）" if hint else what
    return f"{where}{'：' if where else ''}{said}"


def load_templates(
    directory: Path | str, problems: list[TemplateError] | None = None
) -> list[ReturnTemplate]:
    """Every *.toml in directory, by their `order` (then file name); ids must be unique.

    Raises on the first bad file, unless a `problems` list is given: then a bad file is left out and its
    error appended, so one mistyped template does not take every other return away from the user.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise TemplateError(f"找不到报表模板文件夹“{directory}”", directory)
    result: list[ReturnTemplate] = []
    seen: dict[str, Path] = {}
    for path in sorted(directory.glob("*.toml")):
        try:
            template = load_template(path)
            if template.id in seen:
                name = seen[template.id].name
                raise TemplateError(
                    f"报表模板“{path.name}”的 id：“{template.id}”已被“{name}”使用", path, "id"
                )
        except TemplateError as exc:
            if problems is None:
                raise
            problems.append(exc)
            continue
        seen[template.id] = path
        result.append(template)
    return sorted(result, key=lambda t: t.order)


def _build(r: _Reader, data: dict[str, Any]) -> ReturnTemplate:
    r.known_keys(data, _TOP_KEYS, "")
    version = data.get("format", FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise r.fail("format", f"本程序只认识格式 {FORMAT_VERSION}，现在是 {version!r}")
    template_id = r.text(data, "id", "", required=True)
    if not _ID.fullmatch(template_id):
        raise r.fail("id", f"“{template_id}”只能由小写字母、数字、- 和 _ 组成")
    layout = r.choice(data, "layout", "", LAYOUTS, "rows")
    period_type = r.choice(data, "period_type", "", PERIOD_TYPES, "year")
    identity_data = r.table(data, "identity", "", required=True)
    r.known_keys(identity_data, set(IDENTITY_FIELDS), "identity")
    if isinstance(identity_data.get("valid_until"), date):
        # valid_until = 2027-12-31 without quotes is a TOML date: read it as the date it plainly is.
        identity_data = {**identity_data, "valid_until": identity_data["valid_until"].isoformat()}
    identity = Identity(**{k: r.text(identity_data, k, "identity", required=True) for k in IDENTITY_FIELDS})
    if identity.valid_until_date is None:
        raise r.fail(
            "identity.valid_until", f"“{identity.valid_until}”不是日期，应写作 2026-12 或 2026-12-31"
        )
    page = r.table(data, "page", "")
    r.known_keys(page, {"orientation", "size"}, "page")
    if r.text(page, "size", "page", default="A4").upper() != "A4":
        raise r.fail("page.size", "目前只支持 A4 纸")
    notes = r.table(data, "notes", "")
    r.known_keys(notes, {"text", "relations"}, "notes")

    rows = _rows(r, data, layout)
    columns = _columns(r, data, layout)
    extra: dict[str, Any] = {}
    if layout == "units":
        units = r.table(data, "units", "")
        r.known_keys(units, {"child_types", "total_label"}, "units")
        extra["child_types"] = r.texts(units, "child_types", "units")
        extra["total_label"] = r.text(units, "total_label", "units", default="合计")
    elif layout in ("plan_indicators", "projects"):
        section = "plan" if layout == "plan_indicators" else "projects"
        spec = r.table(data, section, "", required=True)
        allowed = {"code", "target_year"} if section == "plan" else {"plan", "only"}
        r.known_keys(spec, allowed, section)
        extra["plan"] = r.text(spec, "code" if section == "plan" else "plan", section, required=True)
        if section == "plan":
            extra["target_year"] = r.integer(spec, "target_year", section, 1949, 2100)
        else:
            extra["project_filter"] = r.choice(spec, "only", section, PROJECT_FILTERS, "all")
    for key in ("units", "plan", "projects"):
        if key in data and not (
            (key == "units" and layout == "units")
            or (key == "plan" and layout == "plan_indicators")
            or (key == "projects" and layout == "projects")
        ):
            raise r.fail(key, f"布局 {layout} 不用这一节")

    template = ReturnTemplate(
        id=template_id,
        path=r.path,
        title=r.text(data, "title", "", required=True),
        layout=layout,
        period_type=period_type,
        identity=identity,
        columns=columns,
        rows=rows,
        data_set=r.text(data, "data_set", "") or None,
        unit_types=r.texts(data, "unit_types", ""),
        orientation=r.choice(page, "orientation", "page", ORIENTATIONS, "auto"),
        notes=r.text(notes, "text", "notes"),
        relations=r.texts(notes, "relations", "notes"),
        description=r.text(data, "description", ""),
        order=r.integer(data, "order", "", 0, 10_000) or 100,
        **extra,
    )
    if template.code_column is None:
        wanted = {"rows": "code", "units": "unit_code", "plan_indicators": "seq", "projects": "seq"}[layout]
        raise r.fail("columns", f'须有一列 field = "{wanted}"（行的代码，导入时据此对应）')
    return template


def _source(
    r: _Reader, data: dict, where: str, known_refs: set[str] | None, itself: str | None = None
) -> Source | None:
    given = [k for k in SOURCE_KINDS if k in data]
    if len(given) > 1:
        raise r.fail(where, f"只能有一个数据来源，现在同时写了 {'、'.join(given)}")
    if not given:
        return None
    kind = given[0]
    ref = r.text(data, kind, where, required=True)
    if kind != "formula":
        if not re.fullmatch(r"[A-Z][A-Z0-9_]*", ref):
            raise r.fail(_join(where, kind), f"“{ref}”不是代码（大写字母开头，如 BEDS_ACTUAL）")
        return Source(kind, ref)
    refs: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        target = match[1].strip()
        if target == itself:
            raise r.fail(_join(where, "formula"), f"公式不能引用本行（本列）自己“[{target}]”")
        if known_refs is not None and target not in known_refs:
            raise r.fail(_join(where, "formula"), f"引用的“[{target}]”不存在")
        name = next((k for k, v in refs.items() if v == target), None) or f"R{len(refs)}"
        refs[name] = target
        return name

    try:
        formula = Formula.parse(_REF.sub(placeholder, ref))
    except FormulaError as exc:
        raise r.fail(_join(where, "formula"), f"“{ref}”写法有误（{exc.message}）") from exc
    unknown = sorted(formula.codes - set(refs))
    if unknown:
        raise r.fail(_join(where, "formula"), f"“{ref}”中的 {unknown[0]} 须写在方括号里，如 [03]")
    return Source("formula", ref, formula, refs)


def _rows(r: _Reader, data: dict, layout: str) -> tuple[Row, ...]:
    items = data.get("rows", [])
    if layout != "rows":
        if items:
            raise r.fail("rows", f"布局 {layout} 的行来自数据库，不在模板里列出")
        return ()
    if not isinstance(items, list) or not items:
        raise r.fail("rows", "应至少有一行（[[rows]]）")
    codes = set()
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            codes.add(item["code"].strip())
    result: list[Row] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(items):
        where = f"rows[{i + 1}]"
        if not isinstance(item, dict):
            raise r.fail(where, "应为一个表（[[rows]]）")
        r.known_keys(item, _ROW_KEYS, where)
        code = r.text(item, "code", where, required=True)
        try:
            parsed = parse_row_code(code)
        except CodeError as exc:
            raise r.fail(_join(where, "code"), str(exc)) from exc
        if code in seen:
            raise r.fail(_join(where, "code"), f"行代码“{code}”重复（{seen[code]} 已用过）")
        seen[code] = where
        source = _source(r, item, where, codes, itself=code)
        if source is None:
            raise r.fail(where, f"缺少数据来源：写 {'、'.join(SOURCE_KINDS)} 之一")
        level = r.integer(item, "level", where, 0, 5)
        result.append(
            Row(
                code=code,
                name=r.text(item, "name", where, required=True),
                source=source,
                unit=r.text(item, "unit", where) or None,
                decimals=r.integer(item, "decimals", where, 0, 6),
                level=parsed.depth if level is None else level,
            )
        )
    _check_cycles(r, {row.code: row.source for row in result}, "rows")
    return tuple(result)


def _columns(r: _Reader, data: dict, layout: str) -> tuple[Column, ...]:
    items = data.get("columns")
    if not isinstance(items, list) or not items:
        raise r.fail("columns", "应至少有一列（[[columns]]）")
    keys = [i.get("key") for i in items if isinstance(i, dict)]
    fields = FIELDS_BY_LAYOUT[layout]
    result: list[Column] = []
    seen: set[str] = set()
    letters = iter(_CHINESE_NUMBERS)
    numbers = iter(range(1, 100))
    numbered = False
    for i, item in enumerate(items):
        where = f"columns[{i + 1}]"
        if not isinstance(item, dict):
            raise r.fail(where, "应为一个表（[[columns]]）")
        r.known_keys(item, _COLUMN_KEYS, where)
        key = r.text(item, "key", where, required=True)
        if not _KEY.fullmatch(key):
            raise r.fail(_join(where, "key"), f"“{key}”只能由小写字母、数字和 _ 组成")
        if key in seen:
            raise r.fail(_join(where, "key"), f"“{key}”重复")
        seen.add(key)
        kind = r.choice(item, "kind", where, ("field", "value", "change_pct"), "field")
        column: dict[str, Any] = {"key": key, "kind": kind}
        if kind == "field":
            name = r.text(item, "field", where, required=True)
            if name not in fields:
                raise r.fail(_join(where, "field"), f"布局 {layout} 的列可用：{'、'.join(fields)}")
            column["field"] = name
            default_title = fields[name]
        elif kind == "value":
            if layout not in ("rows", "units"):
                raise r.fail(_join(where, "kind"), f"布局 {layout} 没有数值列（用 field 列）")
            column["period"] = r.choice(item, "period", where, COLUMN_PERIODS, "current")
            source = _source(r, item, where, set(keys), itself=key)
            if layout == "units" and source is None:
                raise r.fail(where, f"分单位表的数值列须写数据来源：{'、'.join(SOURCE_KINDS)} 之一")
            if layout == "rows" and source is not None:
                raise r.fail(where, "指标表的数据来源写在各行（[[rows]]）里，列只写 period")
            column["source"] = source
            default_title = {"current": "本期", "last_year": "上年同期", "year": "本年"}[column["period"]]
        else:
            of = item.get("of")
            if not (isinstance(of, list) and len(of) == 2 and all(k in keys for k in of)):
                raise r.fail(_join(where, "of"), '应为两个数值列的 key，如 ["current", "last_year"]')
            column["of"] = (of[0], of[1])
            default_title = "增减%"
        column["title"] = r.text(item, "title", where, default=default_title) or default_title
        number = item.get("number")
        if number is None:
            # 甲乙丙 for the descriptive columns on the left, 1 2 3 from the first data column on.
            letter = next(letters, None) if kind == "field" and not numbered else None
            number = letter or str(next(numbers))
        elif not isinstance(number, str | int) or isinstance(number, bool):
            raise r.fail(_join(where, "number"), '栏号应为文字或数字，如 "甲" 或 1')
        elif str(number).isdigit():
            numbers = iter(range(int(number) + 1, 100))
        numbered = numbered or str(number).isdigit()
        column["number"] = str(number)
        column["group"] = r.text(item, "group", where) or None
        column["decimals"] = r.integer(item, "decimals", where, 0, 6)
        width = item.get("width")
        if width is not None and (
            not isinstance(width, int | float) or isinstance(width, bool) or width <= 0
        ):
            raise r.fail(_join(where, "width"), "列宽应为正数（以汉字个数计）")
        column["width"] = float(width) if width is not None else None
        result.append(Column(**column))
    by_key = {c.key: c for c in result}
    for i, c in enumerate(result):
        if c.kind == "change_pct" and any(by_key[k].kind != "value" for k in c.of or ()):
            raise r.fail(f"columns[{i + 1}].of", '须指向两个数值列（kind = "value"）')
    if layout == "units":
        _check_cycles(r, {c.key: c.source for c in result if c.source is not None}, "columns")
    return tuple(result)


def _check_cycles(r: _Reader, sources: dict[str, Source], where: str) -> None:
    """A formula may use other formulas, never itself through a chain (it would have no value)."""
    state: dict[str, int] = {}

    def visit(name: str, chain: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            loop = " → ".join([*chain[chain.index(name) :], name])
            raise r.fail(where, f"公式循环引用：{loop}")
        state[name] = 1
        source = sources.get(name)
        for dep in source.depends_on if source is not None else ():
            visit(dep, [*chain, name])
        state[name] = 2

    for name in sources:
        visit(name, [])
