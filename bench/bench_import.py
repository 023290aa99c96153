"""Benchmark: import a 10 000-row long-format workbook into the demo county. Budget: ≤ 2 s, all-or-nothing.

The workbook holds valid values for unit × data element × period combinations of the demo county (昌乐县): about
nine in ten are new values (2025–2028), the rest change stored ones (2024). Measured on a real file database
with the production pragmas (WAL, synchronous=FULL): preview (read the file + check every value) plus apply
(backup + one transaction writing every value with its audit row). The baseline, measured in the same run, is
openpyxl's read-only load of the same file, iterating every row: the floor any xlsx import pays.
Then the same file with its last row broken is imported, and nothing may be written.

Run: python bench/bench_import.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

BUDGET_S = 2.0


def _rows(conn, count: int) -> list[tuple]:
    from desktop.store import elements, orgunits, values

    rng = random.Random(20250110)
    yearly = {}
    for data_set in elements.list_data_sets(conn):
        if data_set.period_type != "year":
            continue
        for row in elements.list_data_set_rows(conn, data_set.id):
            if row.element_id is not None:
                yearly[row.element_id] = elements.get_element(conn, row.element_id)
    units = [u.code for u in orgunits.list_org_units(conn)]
    rows = []
    for period in ("2024", "2025", "2026", "2027", "2028"):
        for element in yearly.values():
            for unit in units:
                low = element.min_value if element.min_value is not None else 0
                high = element.max_value if element.max_value is not None else 5000
                if element.value_type == "integer":
                    value: object = rng.randint(int(low), int(min(high, 5000)))
                else:
                    value = round(rng.uniform(low, high), element.decimals)
                rows.append((unit, element.code, period, value))
    rng.shuffle(rows)
    # About one row in ten changes a value the demo has stored for 2024; the rest are new.
    stored = {
        (u.code, e.code)
        for e in yearly.values()
        for u in orgunits.list_org_units(conn)
        if values.get_value(conn, e.id, "2024", u.id) is not None
    }
    old = [r for r in rows if r[2] == "2024" and (r[0], r[1]) in stored][: count // 10]
    new = [r for r in rows if r[2] != "2024"][: count - len(old)]
    if len(old) + len(new) < count:
        raise SystemExit(f"the demo county has only {len(old) + len(new)} combinations, fewer than {count}")
    return old + new


def _baseline(path: Path) -> float:
    import openpyxl

    start = time.perf_counter()
    workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        for _row in sheet.iter_rows(values_only=True):
            pass
    workbook.close()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    from desktop.io.value_workbook import write_long_workbook
    from desktop.ops.import_values import ImportRefused, apply_import, preview_import
    from desktop.ops.init_db import init_database

    folder = Path(tempfile.mkdtemp(prefix="bench-import-"))
    conn = init_database(folder / "demo.sqlite", demo=True).conn
    rows = _rows(conn, args.rows)
    good = write_long_workbook(folder / "values.xlsx", rows)
    bad_rows = [*rows[:-1], (rows[-1][0], rows[-1][1], rows[-1][2], "不是数字")]
    bad = write_long_workbook(folder / "values-bad.xlsx", bad_rows)

    baseline = _baseline(good)
    start = time.perf_counter()
    preview = preview_import(conn, good)
    previewed = time.perf_counter() - start
    if preview.errors:
        print(f"unexpected errors in the generated workbook, first: {preview.errors[0]}")
        return 1
    result = apply_import(conn, preview, user="bench")
    total = time.perf_counter() - start
    applied = total - previewed

    counts = conn.execute("SELECT count(*), (SELECT count(*) FROM audit_log) FROM data_value").fetchone()
    bad_preview = preview_import(conn, bad)
    try:
        apply_import(conn, bad_preview, user="bench")
        refused = False
    except ImportRefused:
        refused = True
    after = conn.execute("SELECT count(*), (SELECT count(*) FROM audit_log) FROM data_value").fetchone()
    conn.close()
    all_or_nothing = refused and tuple(after) == tuple(counts) and len(bad_preview.errors) == 1

    print(f"import {len(rows):,} rows (long-format xlsx) into the demo county")
    print(f"  preview (read + check)     {previewed:.3f} s")
    print(
        f"  apply (backup + write)     {applied:.3f} s   new {result.inserted:,}, changed {result.updated:,}"
    )
    print(f"  total                      {total:.3f} s   budget ≤ {BUDGET_S:.1f} s")
    print(
        f"  baseline openpyxl read-only load of the same file {baseline:.3f} s   ratio {total / baseline:.2f}×"
    )
    print(
        f"  all-or-nothing: last row bad → {len(bad_preview.errors)} error "
        f"({bad_preview.errors[0].where if bad_preview.errors else '—'}), "
        f"{'nothing written' if all_or_nothing else 'SOMETHING WAS WRITTEN'}"
    )
    ok = total <= BUDGET_S and all_or_nothing
    print("  PASS" if ok else "  OVER BUDGET" if all_or_nothing else "  FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
