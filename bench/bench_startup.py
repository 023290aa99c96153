"""Benchmark: cold start to a shown and painted main window on the demo database.

Budget: ≤ 1.0 s, and ≤ 3× a bare PySide6 window measured in the same run (so a slow machine does not fail
the absolute figure alone for the wrong reason, and a fast one does not hide our own overhead).

Each run is a fresh Python process with QT_QPA_PLATFORM=offscreen. The clock starts in this process just
before the child is spawned (passed to it as --t0, an epoch time) and stops in the child once the window's
first paint has been processed by the event loop, so interpreter start and every import are counted:
  (a) bare:    a QApplication and an empty 1280×800 QMainWindow;
  (b) program: `python -m desktop --db <demo db> --quit-after-shown --t0 …`.

Run: python bench/bench_startup.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUDGET_S = 1.0
BUDGET_RATIO = 3.0
ENV_PROBE = "HEALTHDESK_STARTUP_PROBE"

BARE_WINDOW = """
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])

def report():
    sys.stdout.write(f"startup_ms={(time.time() - t0) * 1000:.1f}\\n")
    app.quit()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, report)
        return False

window = QMainWindow()
window.resize(1280, 800)
probe = FirstPaint(window)
window.installEventFilter(probe)
window.show()
app.exec()
"""

_RESULT = re.compile(r"startup_ms=([0-9.]+)")


def make_demo_db(folder: Path) -> Path:
    """The demo database, as a first start creates it (or a migrated empty one if the demo is unavailable)."""
    path = folder / "demo.sqlite"
    try:
        from desktop.ops.init_db import init_database
    except ImportError:
        from desktop.store.migrations import open_database

        conn = open_database(path).conn
    else:
        conn = init_database(path, demo=True).conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


def _child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["HEALTHDESK_HOME"] = str(home)  # logs and locks go to a scratch folder, never the user's
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop(ENV_PROBE, None)
    return env


def time_once(command: list[str], env: dict[str, str]) -> float:
    """Seconds from just before spawning to the child's first painted window."""
    t0 = time.time()
    result = subprocess.run([*command, repr(t0)], env=env, capture_output=True, text=True, timeout=120)
    match = _RESULT.search(result.stdout)
    if result.returncode != 0 or match is None:
        raise RuntimeError(
            f"{' '.join(command[:3])}… exited {result.returncode}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        )
    return float(match.group(1)) / 1000


def program_command(db: Path) -> list[str]:
    if (REPO / "desktop" / "__main__.py").exists():
        return [sys.executable, "-m", "desktop", "--db", str(db), "--quit-after-shown", "--t0"]
    code = "import sys; from desktop.app import main; sys.exit(main(sys.argv[1:]))"
    return [sys.executable, "-c", code, "--db", str(db), "--quit-after-shown", "--t0"]


def measure(runs: int) -> tuple[list[float], list[float]]:
    folder = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    db = make_demo_db(folder)
    env = _child_env(folder / "home")
    bare_cmd = [sys.executable, "-c", BARE_WINDOW]
    ours_cmd = program_command(db)
    # One untimed run of each warms the OS file cache, as on a PC where the program has been started before.
    time_once(bare_cmd, env)
    time_once(ours_cmd, env)
    bare, ours = [], []
    for _ in range(runs):  # interleaved, so a busy moment on the machine hits both alike
        bare.append(time_once(bare_cmd, env))
        ours.append(time_once(ours_cmd, env))
    return bare, ours


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bare, ours = measure(args.runs)
    bare_median, ours_median = statistics.median(bare), statistics.median(ours)
    ratio = ours_median / bare_median
    ok_abs, ok_ratio = ours_median <= BUDGET_S, ratio <= BUDGET_RATIO
    print(f"cold start, median of {args.runs} fresh processes (QT_QPA_PLATFORM=offscreen)")
    print(
        f"  bare PySide6 window      {bare_median * 1000:7.0f} ms   runs: {', '.join(f'{x * 1000:.0f}' for x in bare)}"
    )
    print(
        f"  main window, demo db     {ours_median * 1000:7.0f} ms   runs: {', '.join(f'{x * 1000:.0f}' for x in ours)}"
    )
    print(f"  budget: ≤ {BUDGET_S:.1f} s   {'ok' if ok_abs else 'OVER'}  ({ours_median:.2f} s)")
    print(f"  budget: ≤ {BUDGET_RATIO:.0f}× bare   {'ok' if ok_ratio else 'OVER'}  ({ratio:.2f}×)")
    return 0 if ok_abs and ok_ratio else 1


if __name__ == "__main__":
    sys.exit(main())
