"""Lay the three seed plans' indicator tables out as a clerk would copy them, for the paste-import tests.

From db/seed/plans/*.json this writes, into tests/data/plan_tables/:
- <code>.tsv — the table as Word/WPS put it on the clipboard: one row per line, cells separated by tabs, a
  merged 领域 cell written in its first row only (empty below), the table's title line above the header;
- <code>.xlsx — the same table pasted into Excel: the title merged across, 领域 cells merged down, plain decimals
  stored as numbers with the decimals they were written with (92.00 stays 92.00), everything else as text.

Each table keeps its plan's own layout (see shared/seeds/*.md): the county plan has separate 单位 and 指标性质
columns; 健康聊城2030 writes the unit and the lead department in brackets after the name (`（%）（市教育局）`,
`(市体育局)`); the 健康聊城行动 annex writes full-width digits, has no 领域 column, a 基期水平 column, a header
repeated where it runs over a page, and a closing 注 line.

Run `python tests/data/make_plan_tables.py` after changing a seed plan; tests/io/test_plan_table.py checks the
files are current.
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEED_PLANS = ROOT / "db" / "seed" / "plans"
OUT_DIR = Path(__file__).resolve().parent / "plan_tables"
CODES = ("changle-14th-fyp", "liaocheng-2030", "liaocheng-healthy-action")
_FULL = str.maketrans("0123456789.%/", "０１２３４５６７８９．％／")


def _load(code: str) -> dict:
    return json.loads((SEED_PLANS / f"{code}.json").read_text(encoding="utf-8"))


def _years(plan: dict) -> list[str]:
    return sorted({y for row in plan["indicators"] for y in row["targets"]})


def _domains(rows: list[dict]) -> list[str]:
    """The 领域 cell per row: written on the first row of each run only (a merged cell)."""
    cells, previous = [], None
    for row in rows:
        domain = row.get("domain") or ""
        cells.append(domain if domain != previous else "")
        previous = domain
    return cells


def county_table(plan: dict) -> tuple[str, list[list[str]]]:
    """昌乐县“十四五”: 领域 | 序号 | 主要指标 | 单位 | 2020年 | 2025年 | 指标性质."""
    years = _years(plan)
    base = str(plan["plan"]["baseline_year"])
    header = ["领域", "序号", "主要指标", "单位", f"{base}年", *[f"{y}年" for y in years], "指标性质"]
    rows = [header]
    for domain, r in zip(_domains(plan["indicators"]), plan["indicators"], strict=True):
        rows.append(
            [
                domain,
                r["seq"],
                r["name_as_written"],
                r.get("unit") or "",
                r["baseline"]["raw"],
                *[r["targets"].get(y, "") for y in years],
                r.get("nature") or "",
            ]
        )
    return "表1  主要发展指标", rows


def city_table(plan: dict) -> tuple[str, list[list[str]]]:
    """健康聊城2030: 领域 | 指标（单位）（牵头部门） | 2015年 | 2020年 | 2030年."""
    years = _years(plan)
    base = str(plan["plan"]["baseline_year"])
    rows = [["领域", "指标", f"{base}年", *[f"{y}年" for y in years]]]
    for n, (domain, r) in enumerate(zip(_domains(plan["indicators"]), plan["indicators"], strict=True)):
        name = r["name_as_written"]
        if r.get("unit"):
            name += f"（{r['unit']}）"
        if r.get("lead_department"):
            # The original mixes both kinds of brackets for the department: keep both in the fixture.
            dept = r["lead_department"]
            name += f"({dept})" if n % 2 else f"（{dept}）"
        rows.append([domain, name, r["baseline"]["raw"], *[r["targets"].get(y, "") for y in years]])
    return "健康聊城建设主要指标", rows


def action_table(plan: dict) -> tuple[str, list[list[str]]]:
    """健康聊城行动 annex: 序号 | 指　　 标 | 基期水平 | ２０２２年 | ２０３０年, full-width throughout."""
    years = _years(plan)
    header = ["序号", "指　　 标", "基期水平", *[f"{y}年".translate(_FULL) for y in years]]
    rows = [header]
    for n, r in enumerate(plan["indicators"], start=1):
        name = r["name_as_written"]
        if r.get("unit"):
            name += f"({r['unit'].translate(_FULL)})"
        seq = re.sub(r"[0-9]", lambda m: m.group().translate(_FULL), r["seq"])
        rows.append([seq, name, r["baseline"]["raw"], *[r["targets"].get(y, "") for y in years]])
        if n == 17:  # the annex runs over a page here and Word repeats the header row
            rows.append(list(header))
    rows.append(["注：未注明年份的基期水平值均为2018年山东省数值。"])
    return "健 康 聊 城 行 动 主 要 指 标", rows


LAYOUTS = {
    "changle-14th-fyp": county_table,
    "liaocheng-2030": city_table,
    "liaocheng-healthy-action": action_table,
}


def tsv_text(code: str) -> str:
    """The table as Word/WPS copy it (title line, header, rows; tab-separated, one row per line)."""
    title, rows = LAYOUTS[code](_load(code))
    return "\n".join([title, *("\t".join(r) for r in rows)]) + "\n"


def _number(text: str) -> tuple[float, str] | None:
    """A plain ASCII decimal as (number, Excel format keeping its decimals); None for anything else."""
    if not re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", text) or (
        len(text) > 1 and text.startswith("0") and "." not in text
    ):
        return None
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), "0" if not decimals else "0." + "0" * decimals


def write_xlsx(code: str, path: Path) -> None:
    from openpyxl import Workbook

    title, rows = LAYOUTS[code](_load(code))
    book = Workbook()
    ws = book.active
    ws.title = "指标表"
    width = len(rows[0])
    ws.cell(1, 1, title)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    for r, row in enumerate(rows, start=2):
        for c, text in enumerate(row, start=1):
            number = _number(text) if r > 2 else None
            cell = ws.cell(r, c, number[0] if number else (text or None))
            if number:
                cell.number_format = number[1]
    if rows[0][0] == "领域":  # merge each domain run down, as the Word table had it
        start = None
        for r in range(3, len(rows) + 2):
            if ws.cell(r, 1).value:
                if start is not None and r - 1 > start:
                    ws.merge_cells(start_row=start, start_column=1, end_row=r - 1, end_column=1)
                start = r
        if start is not None and len(rows) + 1 > start:
            ws.merge_cells(start_row=start, start_column=1, end_row=len(rows) + 1, end_column=1)
    fixed = datetime(2024, 1, 1)
    book.properties.created = book.properties.modified = fixed
    book.save(path)


def main() -> int:
    OUT_DIR.mkdir(exist_ok=True)
    for code in CODES:
        (OUT_DIR / f"{code}.tsv").write_text(tsv_text(code), encoding="utf-8", newline="\n")
        write_xlsx(code, OUT_DIR / f"{code}.xlsx")
        sys.stdout.write(f"wrote {code}.tsv and {code}.xlsx\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
