"""The township scorecard page: colours and values, sorting that keeps the county on top, columns, xlsx."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import Qt

from desktop.ops.monitoring import STATUS_COLOURS
from desktop.store import orgunits
from desktop.store.db import connect
from desktop.ui.monitoring.scorecard_model import ScorecardTableModel, wrap
from desktop.ui.monitoring.scorecard_page import ScorecardPage
from desktop.ui.task_runner import TaskRunner


@pytest.fixture
def page(qtbot, demo_path, _bundled_font):
    conn = connect(demo_path)
    runner = TaskRunner(demo_path)
    widget = ScorecardPage(conn, demo_path, runner)
    qtbot.addWidget(widget)
    widget.resize(1400, 700)
    with qtbot.waitSignal(widget.results_shown, timeout=10000):
        widget.show()
    yield widget
    widget.close()
    runner.wait_idle()
    runner.shutdown()
    conn.close()


def _column_of(page, name: str) -> int:
    return next(c for c in range(1, page.model.columnCount()) if page.model.column_at(c).name == name)


def _shown_names(page) -> list[str]:
    return [page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())]


def test_townships_by_indicators_with_status_colours(page, qtmodeltester):
    qtmodeltester.check(page.model)
    card = page.model.scorecard
    assert page.model.rowCount() == 9 and page.proxy.index(0, 0).data() == "昌乐县（全域）"
    assert _shown_names(page)[1:] == [u.name for u in card.units]
    # By default only the indicators the townships' data can fill (not those the county alone enters).
    names = [page.model.column_at(c).name for c in range(1, page.model.columnCount())]
    assert "高血压患者规范管理率" in names and "人均预期寿命" not in names and len(names) == 16
    column = _column_of(page, "高血压患者规范管理率")
    index = page.model.index(1, column)
    cell = page.model.cell_at(1, column)
    assert index.data() == f"{cell.value:,.2f}"
    assert index.data(Qt.ItemDataRole.BackgroundRole).name() == STATUS_COLOURS[cell.status][0]
    assert cell.reason in index.data(Qt.ItemDataRole.ToolTipRole)
    header = page.model.headerData(column, Qt.Orientation.Horizontal)
    assert header.endswith("\n2025年 ≥80") and header.startswith("高血压患者规")


def test_sorting_by_value_keeps_the_county_first_and_missing_values_last(page):
    column = _column_of(page, "高血压患者规范管理率")
    for order in (Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder):
        page.table.sortByColumn(column, order)
        assert page.proxy.index(0, 0).data() == "昌乐县（全域）"
        shown = [page.proxy.index(r, column).data(ScorecardTableModel.SortRole) for r in range(1, 9)]
        assert shown == sorted(shown, reverse=order == Qt.SortOrder.DescendingOrder)
    page.set_shown_indicators(
        {page.model.scorecard.columns[0].plan_indicator_id}
    )  # 人均预期寿命: county only
    page.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert page.proxy.index(0, 0).data() == "昌乐县（全域）"
    assert all(page.proxy.index(r, 1).data(ScorecardTableModel.SortRole) == -math.inf for r in range(1, 9))


def test_sort_by_status_puts_problems_first(page):
    page.status_sort_check.setChecked(True)
    column = _column_of(page, "每千人口执业（助理）医师数")
    page.table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    statuses = [page.proxy.index(r, column).data(ScorecardTableModel.StatusRole) for r in range(1, 9)]
    order = [
        "deteriorating",
        "off_track",
        "needs_acceleration",
        "on_track",
        "achieved",
        "cannot_judge",
        "no_data",
    ]
    assert statuses == sorted(statuses, key=order.index)


def test_choosing_columns(page):
    card = page.model.scorecard
    wanted = {card.columns[9].plan_indicator_id, card.columns[18].plan_indicator_id}
    page.set_shown_indicators(wanted)
    assert page.model.columnCount() == 3 and set(page.model.shown_ids()) == wanted
    from desktop.ui.monitoring.scorecard_page import IndicatorChoiceDialog

    dialog = IndicatorChoiceDialog(card, wanted)
    assert dialog.chosen() == wanted and dialog.list.count() == 33
    assert dialog.list.item(0).text() == "1. 人均预期寿命"  # data for the county alone is still data
    assert dialog.list.item(1).text().endswith("（无数据）")  # 健康预期寿命
    dialog.close()


def test_export_to_xlsx(page, qtbot, tmp_path):
    from openpyxl import load_workbook

    with qtbot.waitSignal(page.exported, timeout=10000) as done:
        page.export_to(tmp_path / "记分卡")
    path = done.args[0]
    assert path.endswith("记分卡.xlsx") and "已导出到" in page.message_label.text()
    sheet = load_workbook(path)["记分卡"]
    headers = [sheet.cell(4, c).value for c in range(2, page.model.columnCount() + 1)]
    assert headers == [
        f"{c.name}（{c.unit}）" if c.unit else c.name
        for c in (page.model.column_at(i) for i in range(1, page.model.columnCount()))
    ]
    assert [sheet.cell(r, 1).value for r in range(7, 15)] == [u.name for u in page.model.scorecard.units]


def test_follows_the_org_tree_to_a_township_row(page):
    conn = page._conn
    clinic = next(u for u in orgunits.list_org_units(conn) if u.unit_type == "village_clinic")
    town = orgunits.get_org_unit(conn, clinic.parent_id)
    page.set_org_unit(clinic.id)
    assert page.table.currentIndex().data() == town.name


def test_header_wrapping():
    assert wrap("每千人口执业（助理）医师数（人）", 7, 3) == "每千人口执业（\n助理）医师数（\n人）"
    assert wrap("婴儿死亡率（‰）", 7, 3) == "婴儿死亡率（‰）"
    assert wrap("一二三四五六七八九十" * 3, 7, 2).endswith("…")


def test_showing_a_wide_scorecard_measures_no_cells(page, monkeypatch):
    # resizeRowsToContents sized all 2,600 cells of a 125-indicator card on the GUI thread (~130 ms of the
    # 200 ms a frozen window may take); the cells are one line each, so rows have one fixed height.
    from PySide6.QtWidgets import QHeaderView, QTableView

    calls = []
    monkeypatch.setattr(QTableView, "resizeRowsToContents", lambda self: calls.append(self))
    page.set_shown_indicators({c.plan_indicator_id for c in page.model.scorecard.columns})
    page._finished(page.model.scorecard)
    assert calls == []
    vertical = page.table.verticalHeader()
    assert vertical.sectionResizeMode(0) == QHeaderView.ResizeMode.Fixed
    heights = {page.table.rowHeight(r) for r in range(page.proxy.rowCount())}
    assert len(heights) == 1 and heights.pop() >= page.table.fontMetrics().height() + 4


def test_the_suggested_file_name_is_one_windows_accepts(page):
    from dataclasses import replace

    from desktop.ui.monitoring.scorecard_page import default_export_name

    card = page.model.scorecard
    assert default_export_name(card) == f"{card.plan.short_title or card.plan.title}_乡镇记分卡_2024年.xlsx"
    pasted = replace(card, plan=replace(card.plan, short_title=None, title='某县"十四五"规划: 卫生/健康*'))
    name = default_export_name(pasted)
    assert name == "某县_十四五_规划_卫生_健康_乡镇记分卡_2024年.xlsx"
    assert not set(name) & set('\\/:*?"<>|')


def test_tab_leaves_the_scorecard_table(page, qtbot):
    page.activateWindow()
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(1, 1))
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert not page.table.hasFocus()
