"""Benchmark: a county annual return of 40 units × 60 rows, exported to xlsx and to PDF. Budget: ≤ 1 s each.

A synthetic county (one county, 40 facilities under it, 60 integer data elements, two years of values stored
at the facilities only) so every one of the 60 rows is a roll-up over 40 units in both the current year and
上年同期 — 4,800 values read per return. The template is the ``rows`` layout of the shipped annual return
(代码, 指标名称, 计量单位, 本年, 上年同期, 增减%), with the same 说明 and identity block.

Each format is timed cold (the first export in the process: imports of openpyxl/reportlab and registration
of the bundled CJK font included) and warm (median of repeated exports). The baseline, measured in the same
run, is the bare library writing the same 60 × 6 grid with no styling, layout or database: the floor the
library itself sets, which the ratio shows our overhead against.

Run: python bench/bench_export.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 1.0
UNITS = 40
ROWS = 60

_HEAD = """
format = 1
id = "bench-annual"
title = "卫生资源汇总年报（基准测试）"
layout = "rows"
period_type = "year"
unit_types = ["county"]

[identity]
table_no = "基准1表"
issuer = "山东省卫生健康委员会"
approver = "山东省统计局"
approval_no = "鲁统制〔2024〕18号"
valid_until = "2027-12"

[page]
orientation = "portrait"

[[columns]]
key = "name"
field = "name"
title = "指标名称"
width = 17

[[columns]]
key = "code"
field = "code"

[[columns]]
key = "unit"
field = "unit"

[[columns]]
key = "current"
kind = "value"
title = "本年"

[[columns]]
key = "last_year"
kind = "value"
period = "last_year"

[[columns]]
key = "change"
kind = "change_pct"
of = ["current", "last_year"]
decimals = 1

[notes]
text = "1. 本表由县卫生健康局填报，辖区数为各单位之和。\\n2. 报送时间：次年1月底前。"
relations = ["01≥01.1+01.2"]
"""


def build(folder: Path):
    """The synthetic county database and its 60-row template; returns (conn, template)."""
    from desktop.io.templates import load_template
    from desktop.store import elements, orgunits, values
    from desktop.store.db import atomic, now_text
    from desktop.store.migrations import open_database

    conn = open_database(folder / "bench.sqlite", create=True).conn
    with atomic(conn):
        county = orgunits.insert_org_unit(
            conn, code="370725", name="昌乐县", level=1, unit_type="county", admin_code="370725"
        )
        units = [
            orgunits.insert_org_unit(
                conn, code=f"370725-{i:02d}", name=f"示例卫生院{i:02d}", level=3, unit_type="township_hc",
                parent_id=county, sort_order=i,
            )
            for i in range(1, UNITS + 1)
        ]  # fmt: skip
        ids = [
            elements.insert_data_element(
                conn, code=f"E{i:02d}", name=f"指标{i:02d}", unit="人", value_type="integer", decimals=0
            )
            for i in range(1, ROWS + 1)
        ]
        rows = [
            (element, year, unit, 100 + (e * 7 + u * 3 + int(year)) % 900)
            for e, element in enumerate(ids)
            for u, unit in enumerate(units)
            for year in ("2023", "2024")
        ]
        values.insert_values_bulk(conn, rows, stored_by="bench", stored_at=now_text(), reason="benchmark")
    body = "".join(
        f'\n[[rows]]\ncode = "{i:02d}"\nname = "{"其中：" if i % 5 == 2 else ""}卫生人员类别{i:02d}"\nrollup = "E{i:02d}"\n'
        for i in range(1, ROWS + 1)
    )
    path = folder / "bench-annual.toml"
    path.write_text(_HEAD + body, encoding="utf-8")
    return conn, load_template(path)


def baseline_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for i in range(ROWS):
        ws.append([f"卫生人员类别{i:02d}", f"{i:02d}", "人", 1000 + i, 990 + i, 1.0])
    wb.save(path)


def baseline_pdf(path: Path) -> None:
    from reportlab.platypus import SimpleDocTemplate, Table

    from desktop.io.pdf_return import FONT_NAME, _font_cmap

    _font_cmap()  # the font is registered (it is in the measured export too)
    data = [
        [f"卫生人员类别{i:02d}", f"{i:02d}", "人", str(1000 + i), str(990 + i), "1.0"] for i in range(ROWS)
    ]
    table = Table(data)
    table.setStyle([("FONTNAME", (0, 0), (-1, -1), FONT_NAME)])
    SimpleDocTemplate(str(path)).build([table])


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from desktop.ops.returns import export_return

    folder = Path(tempfile.mkdtemp(prefix="bench-export-"))
    conn, template = build(folder)
    ok = True
    print(f"county annual return: {UNITS} units × {ROWS} rows, 2 periods ({UNITS * ROWS * 2} values read)")
    for fmt, baseline in (("xlsx", baseline_xlsx), ("pdf", baseline_pdf)):

        def export(n: int, fmt=fmt) -> None:
            export_return(
                conn,
                template_id=template,
                org_unit_code="370725",
                period="2024",
                out_path=folder / f"r{n}.{fmt}",
            )

        cold = timed(lambda export=export: export(0))
        warm = statistics.median(
            timed(lambda n=n, export=export: export(n)) for n in range(1, args.repeat + 1)
        )
        base = statistics.median(
            timed(lambda n=n, baseline=baseline, fmt=fmt: baseline(folder / f"b{n}.{fmt}"))
            for n in range(args.repeat)
        )
        verdict = "OK" if max(cold, warm) <= BUDGET_S else "OVER BUDGET"
        ok &= verdict == "OK"
        print(
            f"{fmt:>4}: cold {cold * 1000:7.1f} ms, warm {warm * 1000:7.1f} ms  (budget {BUDGET_S * 1000:.0f} ms)"
            f"  baseline {base * 1000:6.1f} ms, ratio {warm / base:4.1f}×  {verdict}"
        )
    conn.close()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
