"""Render the main screens to PNG without a display (reviews, documentation, the lead's visual checks).

Uses the same QApplication setup as the program (bundled font, Chinese locale), so the pictures show what a
clerk sees. Works off-screen: the windows are never shown on a real screen (WA_DontShowOnScreen).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QWidget

from desktop.store.migrations import open_database
from desktop.store.plans import list_plans
from desktop.ui.error_dialog import ErrorDialog, format_error_report
from desktop.ui.main_window import DEFAULT_SIZE, MainWindow
from desktop.ui.pages import PAGES
from desktop.ui.pickers import preferred_plan
from desktop.ui.qt_setup import ensure_application


def _settle(app: QCoreApplication) -> None:
    for _ in range(3):
        app.processEvents()


def _grab(widget: QWidget, path: Path) -> Path:
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    widget.show()
    _settle(QApplication.instance())
    if not widget.grab().save(str(path), "PNG"):
        raise OSError(f"无法写入截图文件“{path}”")
    return path


def _prepare_demo_page(key: str, page: QWidget, conn) -> None:
    """Point a page at the demo selection that shows it best (only on the demo county, where codes are known)."""
    if key == "entry":
        from desktop.ui.entry import DEMO_FORM

        page.set_selection(*DEMO_FORM)
    elif key == "proxy":
        from desktop.ui.entry import DEMO_PROXY

        page.set_selection(*DEMO_PROXY)
    elif key == "projects":
        plan = preferred_plan(list_plans(conn))
        if plan is not None:
            page.select_plan(plan.id)


def _render_pages(window: MainWindow, out_dir: Path, demo: bool) -> list[Path]:
    """Each page of the window, opened in its tab, as <key>.png (the window as a clerk sees it)."""
    written = []
    app = QApplication.instance()
    for spec in PAGES:
        page = window.open_page(spec.key)
        if demo:
            _prepare_demo_page(spec.key, page, window.conn)
        # Pages compute in the background: let their tasks finish and their results arrive.
        for _ in range(3):
            window.runner.wait_idle()
            _settle(app)
        written.append(_grab(window, out_dir / f"{spec.key}.png"))
        if spec.key == "monitoring" and page.open_chart(0):
            # The chart panel is where pyqtgraph is first imported: rendering it also proves a frozen bundle
            # carries it (the installer's smoke test runs this command).
            _settle(app)
            written.append(_grab(page.chart_panel(), out_dir / "chart.png"))
            page.chart_panel().hide()
    window.tabs.setCurrentIndex(0)
    return written


def render_screens(db_path: Path, out_dir: Path) -> list[Path]:
    """Open db_path, render main.png, one PNG per page, chart.png, about.png and error_dialog.png into out_dir."""
    app = ensure_application()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = open_database(db_path, create=False).conn
    written: list[Path] = []
    window = MainWindow(conn, db_path)
    try:
        window.resize(*DEFAULT_SIZE)
        plan = preferred_plan(list_plans(conn))
        if plan is not None:
            window.select_plan(plan.id)
        written.append(_grab(window, out_dir / "main.png"))
        written.extend(_render_pages(window, out_dir, demo=window.is_demo))

        about = window.show_about()
        written.append(_grab(about, out_dir / "about.png"))
        about.close()

        try:
            raise ValueError("示例：这是为截图制造的错误，不是真实故障")
        except ValueError as exc:
            summary, details = format_error_report(
                type(exc), exc, exc.__traceback__, log_path=Path("logs") / "healthdesk.log"
            )
        dialog = ErrorDialog(summary, details, Path("logs") / "healthdesk.log")
        dialog.details_button.setChecked(True)
        written.append(_grab(dialog, out_dir / "error_dialog.png"))
        dialog.close()
        dialog.deleteLater()
    finally:
        window.close()
        window.deleteLater()
        _settle(app)
        conn.close()
    return written
