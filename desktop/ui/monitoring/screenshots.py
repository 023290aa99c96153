"""Render the monitoring screens to PNG without a display (documentation, visual review).

`render_monitoring_screens(db_path, out_dir)` writes monitoring.png (the 规划监测 page with a chart open),
chart.png (the chart as its PNG export makes it), scorecard.png and plan_import.png. Same application setup as
the program (bundled font, Chinese locale), off-screen.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.store.db import connect
from desktop.store.plans import list_plans
from desktop.ui.qt_setup import ensure_application
from desktop.ui.task_runner import TaskRunner


def _wait_for(signal, timeout_s: float = 20.0) -> None:
    """Process events until signal is emitted once (a page has shown its results)."""
    seen: list[bool] = []
    signal.connect(lambda *_: seen.append(True))
    deadline = time.monotonic() + timeout_s
    while not seen and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)


def _grab(widget: QWidget, path: Path) -> Path:
    for _ in range(5):
        QApplication.processEvents()
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"无法写入截图文件“{path}”")
    return path


def render_monitoring_screens(
    db_path: Path, out_dir: Path, *, plan_code: str | None = None, sample_table: Path | None = None
) -> list[Path]:
    """Render the monitoring screens of the database at db_path into out_dir; returns the files written.

    sample_table, a tab-separated plan table, is pasted into the import dialog for plan_import.png.
    """
    from desktop.ui.monitoring.monitoring_page import MonitoringPage
    from desktop.ui.monitoring.scorecard_page import ScorecardPage

    ensure_application()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = connect(db_path)
    runner = TaskRunner(db_path)
    written: list[Path] = []
    try:
        plan = next((p for p in list_plans(conn) if p.code == plan_code), None) if plan_code else None
        page = MonitoringPage(conn, db_path, runner)
        page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        page.resize(1440, 900)
        page.show()
        _wait_for(page.results_shown)
        if plan is not None and page.current_plan_id() != plan.id and page.select_plan(plan.id):
            _wait_for(page.results_shown)
        runner.wait_idle()
        target = next(
            (
                r
                for r in range(page.proxy.rowCount())
                if page.model.row_at(r).indicator_code == "DOCTORS_PER_1000"
            ),
            0,
        )
        page.open_chart(target)
        page.splitter.setSizes([560, 340])
        QApplication.processEvents()
        page.table.scrollTo(page.table.currentIndex(), page.table.ScrollHint.PositionAtCenter)
        written.append(_grab(page, out_dir / "monitoring.png"))
        panel = page.chart_panel()
        panel.chart.resize(900, 480)
        written.append(panel.export_to(out_dir / "chart.png"))
        page.close()

        card_page = ScorecardPage(conn, db_path, runner)
        card_page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
        card_page.resize(1440, 640)
        card_page.show()
        _wait_for(card_page.results_shown)
        runner.wait_idle()
        written.append(_grab(card_page, out_dir / "scorecard.png"))
        card_page.close()

        if sample_table is not None and sample_table.exists():
            from desktop.ui.monitoring.plan_import_dialog import PlanImportDialog

            dialog = PlanImportDialog(conn, runner)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
            dialog.resize(1280, 800)
            dialog.show()
            dialog.paste_edit.setPlainText(sample_table.read_text(encoding="utf-8"))
            dialog.update_preview()
            _wait_for(dialog.preview_ready)
            dialog.title_edit.setText("健康聊城2030（粘贴导入）")
            written.append(_grab(dialog, out_dir / "plan_import.png"))
            dialog.close()
    finally:
        runner.shutdown()
        conn.close()
    return written
