"""Read a plan's indicator table as a clerk copies it: tab-separated text from Word/WPS/Excel, or an xlsx file.

Word and WPS put one table row per line with a tab between cells; a merged 领域 cell is written in its first row
only, so the rows below it come out empty there and the domain is carried down. Excel quotes a cell that holds
a line break ("健康\\n素质"). The header row names the columns (`领域`, `序号`, `指标`, `单位`, `基期水平`, `2015年`,
`２０２５年`, `指标性质`, `牵头单位` …); lines above it are the table's title, repeated header rows (a table that
runs over a page) and `注：` lines are skipped.

The unit is split off the name when the table has no unit column: `人均预期寿命（岁）` → 人均预期寿命 + 岁,
`人均体育场面积（平方米）(市体育局)` → + 平方米 + lead department 市体育局; a bracket that is neither a unit
nor a department (`（助理）`, `（含进入评审程序）`) stays in the name.

Only raw text comes out of here: the readings of the cells are the ops layer's job (it owns the parser and the
database). openpyxl is imported inside the function that reads xlsx. Problems are `PlanTableError` with a Chinese
message naming the file, sheet, row and column.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROLES = ("seq", "domain", "name", "unit", "nature", "department", "baseline", "year", "note", "ignored")
ROLE_LABELS = {
    "seq": "序号",
    "domain": "领域",
    "name": "指标名称",
    "unit": "单位",
    "nature": "指标性质",
    "department": "牵头单位",
    "baseline": "基期",
    "year": "目标年",
    "note": "备注",
    "ignored": "（忽略）",
}
_HEADER_WORDS = {
    "seq": ("序号", "编号", "序"),
    "domain": ("领域", "类别", "分类", "维度", "方面", "指标类别", "指标领域"),
    "name": ("指标", "主要指标", "指标名称", "具体指标", "名称", "指标项", "主要发展指标", "指标内容"),
    "unit": ("单位", "计量单位", "指标单位"),
    "nature": ("指标性质", "性质", "属性", "指标属性", "指标类型"),
    "department": ("牵头单位", "牵头部门", "责任单位", "责任部门", "主管部门", "负责部门"),
    "note": ("备注", "说明", "注"),
}
_BASE_WORD = r"(?:基期|基线|基数|现状)(?:值|水平|年)?"
_YEAR = r"(?:19|20)[0-9]{2}"
_YEAR_HEADER = re.compile(rf"^(?P<y>{_YEAR})年?(?:目标值?|预期值?|规划值?|末)?$")
_BASE_AFTER_YEAR = re.compile(rf"^(?P<y>{_YEAR})年?[(\[]?{_BASE_WORD}[)\]]?$")
_BASE_HEADER = re.compile(rf"^{_BASE_WORD}(?:[(\[]?(?P<y>{_YEAR})年?[)\]]?)?$")
_TRAILING_BRACKET = re.compile(r"[(（]\s*([^()（）]*?)\s*[)）]\s*$")
_NATURES = {"预期性": "预期性", "预期": "预期性", "约束性": "约束性", "约束": "约束性"}

# Units a plan table writes in brackets after the name. Anything else in brackets stays part of the name.
_UNIT_LIST = (
    "% ‰ ‱ 岁 人 个 张 床 天 日 时 小时 分钟 年 月 周 次 人次 万人次 例 家 所 名 项 处 台 件 份 "
    "户 辆 元 万元 亿元 千元 平方米 ㎡ m2 m² 米 公里 千米 km 克 千克 公斤 g kg 升 毫升 分 级 倍 万人 千人 万 亿"
)
UNIT_WORDS = frozenset(_UNIT_LIST.split())
_UNIT_PATTERNS = (
    re.compile(r"^1?/[0-9.]*[十百千万]*(?:人|人口|活产|活产儿)?$"),  # 1/10万, /10万, 1/1000
    re.compile(r"^[^\d/()]{1,3}/(?:[0-9]*[十百千万]*)?(?:人|人口|床|户)$"),  # 张/千人, 人/万人
    re.compile(r"^[:：]?100$"),  # 出生人口性别比 (女=100)
)
_DEPARTMENT_END = re.compile(r"(?:局|委|委员会|办|办公室|厅|部|中心|政府|公司|单位|部门|总队|支队|大队|院)$")


class PlanTableError(ValueError):
    """A table that cannot be read; .message is Chinese and names where (file, sheet, row, column)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class TableColumn:
    """One column of the table: where it is, its header as written, and what it holds."""

    index: int
    header: str
    role: str
    year: int | None = None


@dataclass(frozen=True)
class TableRow:
    """One indicator row, as text. targets are (year, raw) in column order; raw "" for an empty cell."""

    line: int  # 1-based line (text) or sheet row (xlsx) it came from
    seq: str | None
    domain: str | None
    domain_carried: bool  # the domain cell was empty: carried down from the row above (a merged cell)
    name_cell: str  # the name cell as written
    name: str  # with the unit and department split off
    unit: str | None
    unit_from_name: bool
    department: str | None
    nature: str | None
    baseline_raw: str | None
    targets: tuple[tuple[int, str], ...]
    note: str | None = None


@dataclass(frozen=True)
class PlanTable:
    """A whole indicator table: its columns, its rows and what was skipped or guessed (problems, in Chinese)."""

    source: str
    columns: tuple[TableColumn, ...]
    rows: tuple[TableRow, ...]
    baseline_year: int | None
    title: str | None = None
    problems: tuple[str, ...] = field(default=())

    @property
    def target_years(self) -> tuple[int, ...]:
        return tuple(c.year for c in self.columns if c.role == "year" and c.year is not None)

    @property
    def has_baseline(self) -> bool:
        return any(c.role == "baseline" for c in self.columns)


# ---------------------------------------------------------------------------------------------------------
# Getting rows of cells out of text and files
# ---------------------------------------------------------------------------------------------------------


def _clean_cell(text: str) -> str:
    # A cell's line breaks are layout ("健康\n素质"), also Word's manual break (\v) and Unicode's line and
    # paragraph separators; full-width spaces around text are padding.
    text = re.sub(r"[ \t\u3000]*[\r\n\v\f\u2028\u2029]+[ \t\u3000]*", "", text)
    return text.strip(" \t\u3000\u00a0")


def split_tsv(text: str) -> list[list[str]]:
    """Rows of cells from tab-separated text. A cell that starts with a double quote is Excel-quoted: it may
    hold tabs, line breaks and doubled quotes. Anything else is taken as is (Word/WPS never quote)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    rows: list[list[str]] = []
    row: list[str] = []
    pos, n = 0, len(text)
    while pos <= n:
        if pos < n and text[pos] == '"':  # quoted cell
            end = pos + 1
            parts = []
            while end < n:
                quote = text.find('"', end)
                if quote < 0:
                    quote = n
                parts.append(text[end:quote])
                if quote + 1 < n and text[quote + 1] == '"':
                    parts.append('"')
                    end = quote + 2
                    continue
                end = quote + 1
                break
            cell = "".join(parts)
            # Text after the closing quote up to the separator belongs to the cell (malformed, but keep it).
            stop = len(text)
            for sep in ("\t", "\n"):
                found = text.find(sep, end)
                if 0 <= found < stop:
                    stop = found
            cell += text[end:stop]
            pos = stop
        else:
            stops = [i for i in (text.find("\t", pos), text.find("\n", pos)) if i >= 0]
            stop = min(stops) if stops else n
            cell = text[pos:stop]
            pos = stop
        row.append(_clean_cell(cell))
        if pos >= n:
            rows.append(row)
            break
        if text[pos] == "\n":
            rows.append(row)
            row = []
        pos += 1
    if rows and rows[-1] == [""]:  # the line break that ends the last row
        rows.pop()
    return rows


def decode_text(data: bytes, name: str = "") -> str:
    """Text of a saved table: UTF-8 (with or without BOM), UTF-16 with BOM (Excel's “Unicode 文本”), or GB18030
    (what Notepad on a Chinese Windows writes as ANSI)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PlanTableError(f"文件“{name}”不是可识别的文本编码（应为 UTF-8、GBK 或 Unicode 文本）")


def read_xlsx_rows(path: Path, sheet: str | None = None) -> tuple[str, list[list[str]]]:
    """(sheet name, rows of cell text) of an xlsx sheet: the named one, else the first that has a header row.

    Merged cells give their text to the top-left cell only, exactly like a table copied as text.
    """
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (OSError, BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        # openpyxl's own words ("File is not a zip file") are English: say it in Chinese, keep them in the log.
        raise PlanTableError(
            f"无法打开工作簿“{path.name}”：文件不是有效的 xlsx 工作簿（可能已损坏，或实为其他格式）"
        ) from exc
    try:
        names = book.sheetnames
        if sheet is not None and sheet not in names:
            raise PlanTableError(f"工作簿“{path.name}”中没有工作表“{sheet}”（现有：{'、'.join(names)}）")
        candidates = [sheet] if sheet is not None else names
        first: tuple[str, list[list[str]]] | None = None
        for name in candidates:
            # From row 1, blank rows kept: a row's index + 1 is its row number in the sheet, for messages.
            rows = [[_xlsx_text(cell) for cell in row] for row in book[name].iter_rows(min_row=1)]
            if first is None:
                first = (name, rows)
            if _find_header(rows) is not None:
                return name, rows
        return first if first is not None else (names[0] if names else "", [])
    finally:
        book.close()


def _xlsx_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        return _format_number_cell(float(value), getattr(cell, "number_format", "General") or "General")
    if hasattr(value, "year") and hasattr(value, "month"):
        return f"{value.year}年"
    return _clean_cell(str(value))


def _format_number_cell(value: float, number_format: str) -> str:
    # Keep what the sheet shows: '0.00' keeps 92.00, '0.0%' shows 25.0%; General drops a float's '.0'.
    fmt = number_format.split(";")[0]
    decimals_match = re.search(r"0\.(0+)", fmt)
    decimals = len(decimals_match.group(1)) if decimals_match else 0
    if "%" in fmt:
        return f"{value * 100:.{decimals}f}%"
    if decimals_match or re.fullmatch(r"[#,]*0", fmt):
        return f"{value:.{decimals}f}"
    return f"{value:.10g}" if value != int(value) else str(int(value))


# ---------------------------------------------------------------------------------------------------------
# Understanding the rows
# ---------------------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def classify_header(text: str) -> tuple[str, int | None]:
    """(role, year) of a header cell: ('year', 2025) for 2025年, ('baseline', 2015) for 基期（2015年）…"""
    key = _key(text)
    if not key:
        return "ignored", None
    for pattern in (_BASE_AFTER_YEAR, _BASE_HEADER):
        m = pattern.match(key)
        if m:
            return "baseline", int(m["y"]) if m["y"] else None
    m = _YEAR_HEADER.match(key)
    if m:
        return "year", int(m["y"])
    for role, words in _HEADER_WORDS.items():
        if key in words:
            return role, None
    # 主要指标名称 / 指标（单位）: a header that starts with a name word still names the column.
    if key.startswith("指标") and ("名称" in key or "(" in key):
        return "name", None
    return "ignored", None


def _roles(row: Sequence[str]) -> list[str]:
    return [classify_header(c)[0] for c in row]


def _years_below(rows: Sequence[Sequence[str]], i: int) -> bool:
    """Row i+1 is the lower half of a two-row header: 目标值 merged over 2020年 | 2025年 (and no names)."""
    below = _roles(rows[i + 1]) if i + 1 < len(rows) else []
    return "year" in below and "name" not in below


def _find_header(rows: Sequence[Sequence[str]]) -> int | None:
    """Index of the first row that names an indicator column and at least one year or baseline column, or
    whose row below holds the years (a two-row header)."""
    for i, row in enumerate(rows[:30]):
        roles = _roles(row)
        if "name" in roles and ("year" in roles or "baseline" in roles or _years_below(rows, i)):
            return i
    return None


def _header_cells(rows: Sequence[Sequence[str]], i: int) -> tuple[list[str], int]:
    """(the header's cells, how many rows it spans). A two-row header is read column by column: the lower
    cell where it names a year (基期值 over 2015年 reads 基期值2015年), else the upper one."""
    top = list(rows[i])
    if "year" in _roles(top) or not _years_below(rows, i):
        return top, 1
    below = list(rows[i + 1])
    merged = []
    for k in range(max(len(top), len(below))):
        upper = top[k] if k < len(top) else ""
        lower = below[k] if k < len(below) else ""
        lower_role = classify_header(lower)[0]
        if lower_role == "year" and classify_header(upper)[0] == "baseline":
            merged.append(upper + lower)
        elif lower_role in ("year", "baseline"):
            merged.append(lower)
        else:
            merged.append(upper or lower)
    return merged, 2


def _is_unit(text: str) -> bool:
    key = _key(text).replace("％", "%")
    return key in UNIT_WORDS or any(p.match(key) for p in _UNIT_PATTERNS)


def _is_department(text: str) -> bool:
    key = _key(text)
    return 2 <= len(key) <= 20 and not re.search(r"[0-9%‰]", key) and bool(_DEPARTMENT_END.search(key))


def split_name(cell: str) -> tuple[str, str | None, str | None]:
    """(name, unit, department) of a name cell: trailing brackets holding a unit or a department are split off
    (`（%）（市教育局）`, `(平方米)(市体育局)`); any other bracket stays in the name (`（助理）`)."""
    name = cell.strip()
    unit = department = None
    while True:
        m = _TRAILING_BRACKET.search(name)
        if m is None or m.start() == 0:
            break
        inner = m.group(1)
        if unit is None and _is_unit(inner):
            unit = unicodedata.normalize("NFKC", inner).strip()
        elif department is None and _is_department(inner):
            department = inner.strip()
        else:
            break
        name = name[: m.start()].rstrip()
    return name, unit, department


def _nature(text: str) -> str | None:
    return _NATURES.get(_key(text)) if text else None


def parse_rows(
    rows: Sequence[Sequence[str]],
    *,
    source: str,
    where: str = "",
    baseline_year: int | None = None,
    first_year_is_baseline: bool = True,
) -> PlanTable:
    """Turn rows of cell text into a PlanTable.

    where prefixes messages ("工作表“Sheet1”"). baseline_year, when given, names the baseline: the year column
    of that year becomes the baseline column, or it is the year of a 基期 column that names none. Without a
    基期 column, the first year column is the baseline when first_year_is_baseline (plans print the baseline
    year first: 2015年 | 2020年 | 2030年). Raises PlanTableError when no header row can be found.
    """
    at = f"{where}" if where else ""
    header_index = _find_header(rows)
    if header_index is None:
        raise PlanTableError(
            f"{at}找不到表头行：表头应含“指标”列和年份列（如“2020年”“2025年”）或“基期水平”列。"
            "请连同表头一起复制整张表格。"
        )
    header, span = _header_cells(rows, header_index)
    problems: list[str] = []
    columns: list[TableColumn] = []
    seen_roles: set[str] = set()
    for index, text in enumerate(header):
        role, year = classify_header(text)
        if role not in ("year", "ignored") and role in seen_roles:
            problems.append(f"{at}第 {index + 1} 列“{text}”与前面的列重复，已忽略")
            role = "ignored"
        elif role == "ignored" and text.strip():
            problems.append(f"{at}第 {index + 1} 列“{text}”不是可识别的列名，已忽略")
        seen_roles.add(role)
        columns.append(TableColumn(index, text, role, year))

    has_base_column = any(c.role == "baseline" for c in columns)
    year_columns = [c for c in columns if c.role == "year"]
    chosen = None
    if baseline_year is not None and not has_base_column:
        chosen = next((c for c in year_columns if c.year == baseline_year), None)
    elif not has_base_column and first_year_is_baseline and len(year_columns) > 1:
        chosen = year_columns[0]
    if chosen is not None:
        columns[chosen.index] = TableColumn(chosen.index, chosen.header, "baseline", chosen.year)
    base_column = next((c for c in columns if c.role == "baseline"), None)
    if base_column is not None and base_column.year is None and baseline_year is not None:
        columns[base_column.index] = TableColumn(
            base_column.index, base_column.header, "baseline", baseline_year
        )
        base_column = columns[base_column.index]
    years = [c.year for c in columns if c.role == "year"]
    duplicates = sorted({y for y in years if years.count(y) > 1})
    if duplicates:
        raise PlanTableError(f"{at}表头中年份列重复：{'、'.join(f'{y}年' for y in duplicates)}")
    if not years:
        raise PlanTableError(f"{at}表头中没有目标年份列（如“2025年”）")

    by_role = {c.role: c.index for c in columns if c.role not in ("year", "ignored")}
    title_lines = [" ".join(c for c in r if c) for r in rows[:header_index]]
    # The header as it may repeat where the table runs over a page: each of its rows, and the merged one.
    header_keys = [[_key(c) for c in r] for r in (header, *rows[header_index : header_index + span])]
    parsed: list[TableRow] = []
    domain: str | None = None

    def cell(row: Sequence[str], role: str) -> str:
        index = by_role.get(role)
        return row[index].strip() if index is not None and index < len(row) else ""

    for offset, row in enumerate(rows[header_index + span :], start=header_index + span + 1):
        line = offset
        filled = [c for c in row if c]
        if not filled:
            continue
        if any([_key(c) for c in row[: len(key)]] == key for key in header_keys):
            continue  # the header repeated where the table runs over a page
        name_cell = cell(row, "name")
        if not name_cell:
            if len(filled) == 1 and _key(filled[0]).startswith(
                ("注", "备注", "说明", "资料来源", "数据来源")
            ):
                problems.append(f"{at}第 {line} 行是表注，已跳过：{filled[0][:40]}")
            else:
                problems.append(f"{at}第 {line} 行没有指标名称，已跳过：{' | '.join(filled)[:60]}")
            continue
        if len(row) > len(header) and any(row[len(header) :]):
            problems.append(f"{at}第 {line} 行的单元格比表头多，多出的 {len(row) - len(header)} 格已忽略")
        written_domain = cell(row, "domain")
        carried = "domain" in by_role and not written_domain
        if written_domain:
            domain = written_domain
        name, unit, department = split_name(name_cell)
        unit_column = cell(row, "unit")
        nature_text = cell(row, "nature")
        nature = _nature(nature_text)
        if nature_text and nature is None:
            problems.append(f"{at}第 {line} 行指标性质“{nature_text}”应为预期性或约束性，已按空白处理")
        targets = tuple(
            (c.year, row[c.index].strip() if c.index < len(row) else "")
            for c in columns
            if c.role == "year" and c.year is not None
        )
        base_index = base_column.index if base_column is not None else None
        parsed.append(
            TableRow(
                line=line,
                seq=unicodedata.normalize("NFKC", cell(row, "seq")) or None,
                domain=domain if "domain" in by_role else None,
                domain_carried=carried and domain is not None,
                name_cell=name_cell,
                name=name or name_cell,
                unit=unicodedata.normalize("NFKC", unit_column) if unit_column else unit,
                unit_from_name=not unit_column and unit is not None,
                department=cell(row, "department") or department,
                nature=nature,
                baseline_raw=(row[base_index].strip() if base_index < len(row) else "")
                if base_index is not None
                else None,
                targets=targets,
                note=cell(row, "note") or None,
            )
        )
    if not parsed:
        raise PlanTableError(f"{at}表头下面没有指标行")
    return PlanTable(
        source=source,
        columns=tuple(columns),
        rows=tuple(parsed),
        baseline_year=base_column.year if base_column is not None else None,
        title=" ".join(t for t in title_lines if t) or None,
        problems=tuple(problems),
    )


def read_plan_text(
    text: str,
    *,
    source: str = "粘贴的表格",
    baseline_year: int | None = None,
    first_year_is_baseline: bool = True,
) -> PlanTable:
    """A PlanTable from pasted or saved tab-separated text."""
    if not text or not text.strip():
        raise PlanTableError("没有可读取的内容：请从 Word、WPS 或 Excel 复制整张指标表（含表头）后粘贴")
    rows = split_tsv(text)
    if all(len(r) == 1 for r in rows):
        raise PlanTableError(
            "内容里没有制表符分隔的单元格：请在 Word/WPS 中选中整张表格复制后粘贴（不要只复制文字段落）"
        )
    return parse_rows(
        rows, source=source, baseline_year=baseline_year, first_year_is_baseline=first_year_is_baseline
    )


def read_plan_file(
    path: Path | str,
    *,
    sheet: str | None = None,
    baseline_year: int | None = None,
    first_year_is_baseline: bool = True,
) -> PlanTable:
    """A PlanTable from an .xlsx workbook, or from a .txt/.tsv/.csv file of tab-separated text."""
    path = Path(path)
    options = {"baseline_year": baseline_year, "first_year_is_baseline": first_year_is_baseline}
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        name, rows = read_xlsx_rows(path, sheet)
        return parse_rows(rows, source=path.name, where=f"工作表“{name}”", **options)
    if suffix == ".xls":
        raise PlanTableError(
            f"“{path.name}”是旧版 Excel 格式（.xls）：请在 Excel/WPS 中另存为 .xlsx 后再导入"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanTableError(f"无法读取文件“{path}”：{exc.strerror or exc}") from exc
    return read_plan_text(decode_text(data, path.name), source=path.name, **options)
