"""Benchmark: save one edited value (validate + write + audit row + commit). Budget: ≤ 5 ms.

Measured on a real file database with the production pragmas (WAL, synchronous=FULL), on the demo county, so
the fsync of every commit is included. The baseline, measured in the same run, is a bare one-row INSERT +
COMMIT with the same pragmas: the floor the disk sets, which the ratio shows our overhead against.

Run: python bench/bench_save_value.py [--n 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 5.0


def _percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def measure(n: int) -> tuple[list[float], list[float]]:
    from desktop.ops.init_db import init_database
    from desktop.ops.values import save_value
    from desktop.store.db import connect

    folder = Path(tempfile.mkdtemp(prefix="bench-save-"))
    result = init_database(folder / "demo.sqlite", demo=True)
    conn = result.conn
    element, unit = conn.execute(
        "SELECT e.code, o.code FROM data_element e, org_unit o "
        "WHERE e.value_type = 'integer' AND o.level = 1 ORDER BY e.code LIMIT 1"
    ).fetchone()

    ours = []
    for i in range(n):
        start = time.perf_counter()
        save_value(
            conn, element_code=element, org_unit_code=unit, period="2025", raw=str(1000 + i), user="bench"
        )
        ours.append((time.perf_counter() - start) * 1000)
    conn.close()

    bare = connect(folder / "bare.sqlite")
    bare.execute("CREATE TABLE t (k INTEGER PRIMARY KEY, v)")
    baseline = []
    for i in range(n):
        start = time.perf_counter()
        bare.execute("BEGIN IMMEDIATE")
        bare.execute("INSERT OR REPLACE INTO t (k, v) VALUES (1, ?)", (i,))
        bare.execute("COMMIT")
        baseline.append((time.perf_counter() - start) * 1000)
    bare.close()
    return ours, baseline


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    args = parser.parse_args()
    ours, baseline = measure(args.n)
    median, p95 = statistics.median(ours), _percentile(ours, 0.95)
    base = statistics.median(baseline)
    print(f"save one value (commit + audit row), n={args.n}")
    print(f"  median {median:.2f} ms   p95 {p95:.2f} ms   budget ≤ {BUDGET_MS:.1f} ms")
    print(f"  baseline bare INSERT+COMMIT median {base:.2f} ms   ratio {median / base:.2f}×")
    ok = median <= BUDGET_MS
    print("  PASS" if ok else "  OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
