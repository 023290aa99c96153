"""Smoke test of a PyInstaller bundle built from build_installer.spec (skipped unless one is named).

    pyinstaller build_installer.spec --noconfirm
    HEALTHDESK_FROZEN_EXE=dist/CountyHealthDesk/CountyHealthDesk pytest tests/test_frozen_bundle.py

On Windows point it at dist/CountyHealthDesk/healthdesk.exe (the console build beside the windowed one): a
windowed exe has no stdout to read. Every check here once failed in a real bundle, or is what a lazy import
(a page opened by name, pyqtgraph, openpyxl, reportlab) would break there first.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

EXE = os.environ.get("HEALTHDESK_FROZEN_EXE")
pytestmark = pytest.mark.skipif(not EXE, reason="set HEALTHDESK_FROZEN_EXE to a built bundle's executable")


def _run(home: Path, *args: str, probe: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(QT_QPA_PLATFORM="offscreen", HEALTHDESK_HOME=str(home))
    if probe:
        env["HEALTHDESK_STARTUP_PROBE"] = "1"
    return subprocess.run(
        [str(EXE), *args], env=env, capture_output=True, text=True, encoding="utf-8", timeout=180
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A user folder where the bundle has made its first start (demo county) once."""
    home = tmp_path_factory.mktemp("frozen-home")
    result = _run(home, probe=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("startup_ms=")
    return home


def test_first_start_builds_the_demo_county_from_the_bundled_data(home):
    log = (home / "logs" / "healthdesk.log").read_text(encoding="utf-8")
    assert "opened database" in log
    assert "Qt translation qtbase_zh_CN loaded" in log
    assert "bundled font WenQuanYi Micro Hei loaded" in log
    assert (home / "healthdesk.sqlite").stat().st_size > 100_000  # plans, demo county, values


def test_the_command_line_works_from_the_bundle(home, tmp_path):
    parsed = _run(home, "targets", "parse", "≦4")
    assert parsed.returncode == 0, parsed.stderr
    assert json.loads(parsed.stdout)["kind"] == "at_most"
    plans = _run(home, "plans", "list", "--json")
    assert len(json.loads(plans.stdout)) == 3
    for suffix in ("xlsx", "pdf"):
        out = tmp_path / f"return.{suffix}"
        done = _run(home, "export", "--template", "resources-annual", "--org", "370725", "--period", "2024",
                    "--out", str(out))  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert out.stat().st_size > 5_000


def test_every_page_and_the_chart_render_from_the_bundle(home, tmp_path):
    result = _run(home, "screenshot", "--db", str(home / "healthdesk.sqlite"), "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    names = {Path(line).name for line in result.stdout.split()}
    assert {"main.png", "entry.png", "projects.png", "monitoring.png", "chart.png", "returns.png"} <= names


def test_a_damaged_file_is_refused_in_chinese(home, tmp_path):
    bad = tmp_path / "bad.sqlite"
    bad.write_text("不是数据库", encoding="utf-8")
    result = _run(home, "plans", "list", "--db", str(bad))
    assert result.returncode == 2
    assert "不是数据库文件" in result.stderr and "Traceback" not in result.stderr
