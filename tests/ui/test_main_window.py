"""Smoke tests of the main window on a small real database, and of the off-screen screenshot."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from desktop.store import plans
from desktop.store.db import atomic, connect
from desktop.ui.main_window import MainWindow
from desktop.ui.models.plan_indicator_model import PlanIndicatorTableModel
from desktop.ui.screenshot import render_screens

DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def window(qtbot, sample_db, sample_db_path):
    win = MainWindow(sample_db, sample_db_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _plan_ids(conn) -> dict[str, int]:
    return {p.level: p.id for p in plans.list_plans(conn)}


def test_demo_banner_and_title_when_the_database_is_demo_data(window):
    assert window.is_demo
    assert window.demo_banner.isVisible()
    assert "示例数据" in window.demo_banner.text()
    assert window.windowTitle().endswith("— 示例数据")


def test_no_banner_on_real_data(qtbot, plain_db_path, _bundled_font):
    conn = connect(plain_db_path)
    try:
        win = MainWindow(conn, plain_db_path)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        assert not win.is_demo
        assert not win.demo_banner.isVisible()
        assert "示例数据" not in win.windowTitle()
        win.close()
    finally:
        conn.close()


def test_tree_has_the_county_root_expanded(window):
    model = window.org_model
    root = model.index(0, 0)
    assert model.data(root, DISPLAY) == "昌乐县"
    assert window.tree_view.isExpanded(root)
    # the first level shows, the facilities below a township wait until asked for
    town = model.index(0, 0, root)
    assert model.data(town, DISPLAY) == "宝城街道"
    assert not window.tree_view.isExpanded(town)


def test_opens_on_the_county_plan_and_selecting_a_plan_fills_the_table(window, sample_db):
    ids = _plan_ids(sample_db)
    assert window.current_plan_id() == ids["county"]
    assert window.plan_page.indicator_proxy.rowCount() == 10
    assert "乐政发〔2022〕1号" in window.plan_page.plan_combo.currentText()
    assert "2021—2025年" in window.plan_page.plan_combo.currentText()

    with_signal = []
    window.plan_selected.connect(with_signal.append)
    assert window.select_plan(ids["city"])
    assert with_signal == [ids["city"]]
    assert window.plan_page.indicator_proxy.rowCount() == 4
    assert window.plan_page.indicator_model.years == [2020, 2030]
    assert window.plan_page.indicator_proxy.columnCount() == 6 + 4
    assert "2 处目标写法待核对" in window.plan_page.plan_details.text()
    # a plan with no 序号 or 性质 hides those columns instead of showing them empty
    assert window.plan_page.table_view.isColumnHidden(PlanIndicatorTableModel.COL_SEQ)
    assert not window.plan_page.table_view.isColumnHidden(PlanIndicatorTableModel.COL_NAME)
    assert not window.select_plan(99999)


def test_rows_are_as_tall_as_their_wrapped_text(window, qtbot, sample_db):
    window.select_plan(_plan_ids(sample_db)["city"])
    qtbot.waitUntil(lambda: not window.plan_page._heights_pending)
    view, proxy = window.plan_page.table_view, window.plan_page.indicator_proxy
    heights = [view.rowHeight(r) for r in range(proxy.rowCount())]
    for row, height in enumerate(heights):
        # what Qt's own size hints (the delegates') ask for at the current column widths
        assert height >= view.sizeHintForRow(row) - 2, row
    assert max(heights) > min(heights)  # long readings wrap onto more lines
    window.plan_page.filter_edit.setText("死亡率")
    qtbot.waitUntil(lambda: not window.plan_page._heights_pending)
    assert view.rowHeight(0) >= view.sizeHintForRow(0) - 2


def test_filter_box_filters_the_indicator_table_by_name(window, qtbot):
    window.plan_page.filter_edit.setText("死亡率")
    assert window.plan_page.indicator_proxy.rowCount() == 1
    name = window.plan_page.indicator_proxy.data(
        window.plan_page.indicator_proxy.index(0, PlanIndicatorTableModel.COL_NAME), DISPLAY
    )
    assert name == "婴儿死亡率"
    window.plan_page.filter_edit.setText("")
    assert window.plan_page.indicator_proxy.rowCount() == 10


def test_ctrl_f_focuses_the_filter_box(window, qtbot):
    window.activateWindow()
    window.plan_page.table_view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.plan_page.filter_edit)


def test_tree_and_table_are_reachable_with_tab(window):
    chain = []
    widget = window.tree_view
    for _ in range(6):
        chain.append(widget)
        widget = widget.nextInFocusChain()
        while not (widget.focusPolicy() & Qt.FocusPolicy.TabFocus) or not widget.isVisible():
            widget = widget.nextInFocusChain()
    page = window.plan_page
    # tree → the page tabs (arrow keys switch pages) → the plan page's picker, filter and table
    assert chain[:5] == [
        window.tree_view,
        window.tabs.tabBar(),
        page.plan_combo,
        page.filter_edit,
        page.table_view,
    ]
    assert not window.plan_page.table_view.tabKeyNavigation()


def test_status_bar_shows_path_and_counts(window, sample_db_path):
    assert str(sample_db_path) in window.path_label.text()
    assert window.counts_label.text() == "机构 8 个　规划 2 个　指标 12 个"


def test_data_changed_refreshes_the_views(window, sample_db):
    with atomic(sample_db):
        plans.insert_plan(sample_db, code="new-plan", title="新规划", level="city")
    assert window.plan_page.plan_combo.count() == 2
    keep = window.current_plan_id()
    window.data_changed.emit(None)
    assert window.plan_page.plan_combo.count() == 3
    assert window.current_plan_id() == keep  # the user's choice survives a refresh
    assert "规划 3 个" in window.counts_label.text()


def test_a_value_edit_leaves_the_frame_alone_a_plan_change_updates_it(window, sample_db):
    from desktop.ops.changes import OpChanges

    with atomic(sample_db):
        plans.insert_plan(sample_db, code="another", title="又一规划", level="city")
    window.data_changed.emit(OpChanges(values=True))  # what every saved edit emits
    assert "规划 2 个" in window.counts_label.text()
    window.data_changed.emit(OpChanges(plans=True))
    assert "规划 3 个" in window.counts_label.text()


def test_set_database_switches_files(window, plain_db_path):
    conn = connect(plain_db_path)
    try:
        window.set_database(conn, plain_db_path)
        assert not window.demo_banner.isVisible()
        assert window.db_path == plain_db_path
        assert window.plan_page.indicator_proxy.rowCount() == 10
    finally:
        conn.close()


def test_about_dialog_opens_and_closes(window, qtbot, sample_db_path):
    dialog = window.show_about()
    qtbot.waitExposed(dialog)
    assert dialog.isVisible()
    text = dialog.text()
    assert "0.1.0" in text
    assert str(sample_db_path) in text
    assert "Apache License 2.0" in text
    with qtbot.waitSignal(dialog.destroyed):
        dialog.reject()


def test_screenshot_renders_a_non_blank_png(sample_db_path, tmp_path, _bundled_font):
    written = render_screens(sample_db_path, tmp_path / "shots")
    names = [p.name for p in written]
    assert names[0] == "main.png"
    assert "about.png" in names
    image = QImage(str(written[0]))
    assert (image.width(), image.height()) == (1280, 800)
    # sample a grid of pixels: a blank (or all-tofu-free-but-empty) render has almost no variance
    values = [
        image.pixelColor(x, y).lightness()
        for x in range(0, image.width(), 16)
        for y in range(0, image.height(), 16)
    ]
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    assert variance > 100
    # the demo banner's yellow is at the top of the window, below the menu bar
    banner = image.pixelColor(640, 30)
    assert banner.red() > 200 and banner.green() > 180 and banner.blue() < 170


def test_file_menu_opens_import_and_backup_dialogs(window, qtbot):
    importer = window.show_import()
    assert importer.isVisible()
    importer.close()
    backups = window.show_backups()
    assert backups.isVisible()
    restored = []
    window.database_restored.connect(restored.append)
    backups.restored.emit(window.db_path)
    assert restored == [str(window.db_path)]
    backups.close()


def test_daily_backup_is_taken_in_the_background(window, qtbot):
    from desktop.ops.backups import list_backups

    window.schedule_daily_backup(delay_ms=0)
    qtbot.waitUntil(lambda: len(list_backups(window.db_path)) == 1, timeout=5000)
    assert list_backups(window.db_path)[0].reason == "每日"


def test_every_page_opens_in_its_tab_follows_the_tree_and_refreshes(qtbot, demo_path, _bundled_font):
    """Pages are built on first use, get the selected unit, and refresh when another page writes."""
    from desktop.ops.changes import OpChanges
    from desktop.ui.pages import PAGES

    conn = connect(demo_path)
    win = MainWindow(conn, demo_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    assert set(win.pages) == {"plans"}  # nothing else is built at start-up

    county = win.org_model.index(0, 0)
    win.tree_view.setCurrentIndex(county)
    refreshed = []
    for spec in PAGES:
        page = win.open_page(spec.key)
        assert win.tabs.currentWidget() is page and win.tabs.tabText(win.tabs.currentIndex()) == spec.title
        original = page.refresh
        page.refresh = lambda changes=None, key=spec.key, original=original: (
            refreshed.append(key),
            original(changes),
        )
    win.runner.wait_idle()
    win.pages["entry"].data_changed.emit(OpChanges(values=True))
    win.runner.wait_idle()
    assert set(refreshed) == {spec.key for spec in PAGES}
    win.close()
    conn.close()


def test_ctrl_number_switches_pages(window, qtbot):
    from PySide6.QtTest import QTest

    QTest.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.tabText(window.tabs.currentIndex()) == "报表"
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.plan_page
