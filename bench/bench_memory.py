"""Benchmark: resident memory with the demo database open. Budget: ≤ 250 MB.

A fresh process (offscreen Qt, bundled font) opens the demo county in the main window and reports its resident
set size twice: once the window is shown, and again after every page has been opened and has finished its
background work (what a user has after a morning of use). The baseline, measured in the same run, is a bare
PySide6 window in its own process, which shows how much of the figure is Qt itself.

Reads VmRSS from /proc (Linux). Run: python bench/bench_memory.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

BUDGET_MB = 250.0

RSS = """
def rss_mb():
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
"""

BARE = (
    RSS
    + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 800); w.show()
for _ in range(5): app.processEvents()
print(f"shown={rss_mb():.1f}")
"""
)

PROGRAM = (
    RSS
    + """
import sys
from pathlib import Path
from desktop.store.migrations import open_database
from desktop.ui.qt_setup import ensure_application
from desktop.ui.main_window import MainWindow
from desktop.ui.pages import PAGES

app = ensure_application()
path = Path(sys.argv[1])
conn = open_database(path, create=False).conn
window = MainWindow(conn, path)
window.show()
for _ in range(5): app.processEvents()
print(f"shown={rss_mb():.1f}")
for spec in PAGES:
    window.open_page(spec.key)
    for _ in range(3):
        window.runner.wait_idle()
        app.processEvents()
print(f"all_pages={rss_mb():.1f}")
window.close()
"""
)


def _run(code: str, *args: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    return {k: float(v) for k, v in (line.split("=") for line in out.split() if "=" in line)}


def main() -> int:
    if not Path("/proc/self/status").exists():
        print("bench_memory reads /proc/self/status: run it on Linux")
        return 2
    from desktop.ops.init_db import init_database

    folder = Path(tempfile.mkdtemp(prefix="bench-memory-"))
    db = folder / "demo.sqlite"
    init_database(db, demo=True).conn.close()
    bare = _run(BARE)["shown"]
    program = _run(PROGRAM, str(db))
    print("resident memory with the demo database open (offscreen)")
    print(f"  bare PySide6 window             {bare:6.1f} MB")
    print(
        f"  main window shown               {program['shown']:6.1f} MB   ({program['shown'] / bare:.2f}× bare)"
    )
    print(f"  after opening every page        {program['all_pages']:6.1f} MB   budget ≤ {BUDGET_MB:.0f} MB")
    ok = program["all_pages"] <= BUDGET_MB
    print("  PASS" if ok else "  OVER BUDGET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
