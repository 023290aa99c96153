"""The 规划监测 page on the demo county: pickers, filters, refresh on data changes, the chart and its PNG."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from desktop.ops.changes import OpChanges
from desktop.ops.values import save_value
from desktop.store import orgunits, plans
from desktop.store.db import connect
from desktop.ui.monitoring.monitoring_page import MonitoringPage
from desktop.ui.monitoring.progress_model import MonitoringTableModel
from desktop.ui.task_runner import TaskRunner


@pytest.fixture
def page(qtbot, demo_path, _bundled_font):
    conn = connect(demo_path)
    runner = TaskRunner(demo_path)
    widget = MonitoringPage(conn, demo_path, runner)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    with qtbot.waitSignal(widget.results_shown, timeout=10000):
        widget.show()
    yield widget
    widget.close()
    runner.wait_idle()
    runner.shutdown()
    conn.close()


def _visible_rows(page) -> list:
    return [
        page.model.row_at(page.proxy.mapToSource(page.proxy.index(r, 0)).row())
        for r in range(page.proxy.rowCount())
    ]


def _non_blank(image: QImage) -> float:
    """Standard deviation of grey levels over a sample of pixels: 0 for a blank image."""
    grey = [
        QImage.pixelColor(image, x, y).lightness()
        for x in range(0, image.width(), max(1, image.width() // 80))
        for y in range(0, image.height(), max(1, image.height() // 60))
    ]
    mean = sum(grey) / len(grey)
    return (sum((g - mean) ** 2 for g in grey) / len(grey)) ** 0.5


def test_opens_on_the_county_plan_for_the_latest_year(page, qtmodeltester):
    assert page.plan_combo.currentText().startswith("昌乐县“十四五”卫生与健康规划")
    assert page.current_year() == 2024 and page.unit_combo.currentText() == "昌乐县"
    assert page.model.rowCount() == 33
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.proxy)
    summary = page.summary_label.text()
    assert "昌乐县 · 2024年 · 33 项指标" in summary and "已达标" in summary and "退步" in summary
    header = [page.model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.model.columnCount())]
    assert header == ["领域", "指标", "单位", "基期", "最新值", "2025年目标", "状态", "原因"]


def test_cells_show_targets_as_written_and_computed_with_status_colours(page):
    model = page.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).indicator_code == "DOCTORS_PER_1000")
    target = model.index(row, model.milestone_column(2025))
    assert target.data() == "2.8\n→ ≥ 2.8 人"
    assert model.index(row, model.COL_LATEST).data() == "2.79\n2024年"
    assert model.index(row, model.COL_BASELINE).data() == "2.77\n2020年"
    assert "规划文本中的基期值" in model.index(row, model.COL_BASELINE).data(Qt.ItemDataRole.ToolTipRole)
    status = model.index(row, model.col_status)
    assert status.data() == "需加快"
    assert status.data(Qt.ItemDataRole.BackgroundRole).name() == "#ffe9a8"
    assert "为所需进度的 82%" in model.index(row, model.col_reason).data()


def test_filters_off_track_binding_and_domain(page, qtbot):
    page.off_track_check.setChecked(True)
    shown = _visible_rows(page)
    assert shown and all(r.status in ("off_track", "deteriorating") for r in shown)
    assert len(shown) == sum(1 for r in page.model.result.rows if r.is_off_track)
    page.off_track_check.setChecked(False)
    page.binding_check.setChecked(True)
    assert [r.name for r in _visible_rows(page)] == [
        "每千人口药师（士）数",
        "每万人口全科医生数",
        "青少年总体近视率",
    ]
    page.binding_check.setChecked(False)
    page.domain_combo.setCurrentIndex(page.domain_combo.findData("计划生育"))
    assert [r.name for r in _visible_rows(page)] == ["人口自然增长率", "出生人口性别比"]
    page.domain_combo.setCurrentIndex(0)
    assert page.proxy.rowCount() == 33


def test_filter_to_off_track_then_chart_and_export_png(page, qtbot, tmp_path):
    """The issue's scenario: filter to off track, open a chart, export a PNG that is not blank."""
    page.off_track_check.setChecked(True)
    first = _visible_rows(page)[0]
    with qtbot.waitSignal(page.chart_shown, timeout=5000) as shown:
        assert page.open_chart(0)
    assert shown.args == [first.plan_indicator_id]
    panel = page.chart_panel()
    assert panel.isVisible() and panel.chart.title.text().startswith(first.name)
    with qtbot.waitSignal(panel.exported, timeout=5000):
        path = panel.export_to(tmp_path / "chart")
    assert path.suffix == ".png" and path.exists()
    image = QImage(str(path))
    assert image.width() > 300 and image.height() > 200
    assert _non_blank(image) > 20


def test_enter_and_double_click_open_the_chart(page, qtbot):
    page.table.setFocus()
    page.table.setCurrentIndex(page.proxy.index(3, 1))
    with qtbot.waitSignal(page.chart_shown, timeout=5000) as shown:
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert shown.args == [page.model.row_at(3).plan_indicator_id]
    page.chart_panel().close_button.click()
    assert not page.chart_panel().isVisible()


def test_chart_hover_tooltips_and_axes(page):
    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).indicator_code == "DOCTORS_PER_1000"
    )
    page.open_chart(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    chart = page.chart_panel().chart
    chart.resize(900, 420)
    for _ in range(3):
        from PySide6.QtWidgets import QApplication

        QApplication.processEvents()
    latest = page.model.row_at(row).latest
    tip = chart.tooltip_near(chart.point_scene_pos(*latest))
    assert tip == "2024年：2.79 人"
    base = chart.tooltip_near(chart.point_scene_pos(2020, 2.77))
    assert base.startswith("基期 2020年：2.77 人")
    assert chart.tooltip_near(chart.point_scene_pos(2022.5, 2.5)) == ""
    chart._on_mouse_moved(chart.point_scene_pos(*latest))
    assert chart.last_tooltip == "2024年：2.79 人"
    bottom, left = chart.plot.getAxis("bottom"), chart.plot.getAxis("left")
    assert bottom.tickStrings([2024.0, 2025.0], 1, 1) == ["2024年", "2025年"]
    assert left.tickStrings([20000.0, 125000.0, 3e8], 1, 5000) == ["2万", "12.5万", "3亿"]
    assert not left.autoSIPrefix
    assert bottom.tickValues(2019.6, 2025.4, 800) == [(1, [2020, 2021, 2022, 2023, 2024, 2025])]


def test_chart_draws_baseline_target_and_dashed_required_path(page):
    from desktop.ui.monitoring.chart import pen_style_of

    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).indicator_code == "MYOPIA_RATE"
    )
    page.open_chart(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    chart = page.chart_panel().chart
    curves = chart.plot.listDataItems()
    dashed = [c for c in curves if pen_style_of(c) == Qt.PenStyle.DashLine]
    assert len(dashed) == 1
    xs, ys = dashed[0].getData()
    assert list(xs) == [2020, 2021, 2022, 2023, 2024, 2025] and ys[-1] == pytest.approx(48.6)
    legend = [label.text for _sample, label in chart.plot.legend.items]
    assert legend == ["达标所需路径", "目标", "实际值", "基期值"]


def test_follows_the_org_tree_and_recomputes(page, qtbot, demo_path):
    conn = page._conn
    clinic = next(u for u in orgunits.list_org_units(conn) if u.unit_type == "village_clinic")
    town = orgunits.get_org_unit(conn, clinic.parent_id)
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.set_org_unit(clinic.id)
    assert page.current_unit_id() == town.id
    assert page.model.result.unit.id == town.id and town.display_name in page.summary_label.text()


def test_refresh_on_data_changes_only_when_they_matter(page, qtbot, demo_path):
    conn = connect(demo_path)
    try:
        save_value(
            conn,
            element_code="IND_LIFE_EXPECTANCY",
            org_unit_code="370725",
            period="2024",
            raw="79.9",
            user="测试",
        )
    finally:
        conn.close()
    page.refresh(OpChanges(projects=True))  # nothing the page shows
    assert not page._running
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.refresh(OpChanges(values=True))
    life = next(r for r in page.model.result.rows if r.indicator_code == "LIFE_EXPECTANCY")
    assert life.latest == (2024, 79.9) and life.status == "deteriorating"


def test_other_plan_and_year(page, qtbot):
    city = next(p for p in plans.list_plans(page._conn) if p.code == "liaocheng-2030")
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.select_plan(city.id)
    assert page.model.years == [2020, 2030] and page.model.rowCount() == 20
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.select_year(2022)
    assert page.model.result.year == 2022
    assert page.model.index(0, page.model.milestone_column(2030)).data() == "81左右\n→ 79.38–82.62 岁"


def test_page_module_does_not_import_pyqtgraph():
    code = (
        "import sys; import desktop.ui.monitoring.monitoring_page, desktop.ui.monitoring.scorecard_page; "
        "print('pyqtgraph' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_column_layout_is_sensible(page):
    header = page.table.horizontalHeader()
    reason = page.model.col_reason
    assert header.sectionSize(reason) > header.sectionSize(MonitoringTableModel.COL_NAME)
    assert not page.table.isColumnHidden(MonitoringTableModel.COL_DOMAIN)


def test_a_pasted_plan_is_imported_and_shown(page, qtbot):
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "data" / "plan_tables" / "liaocheng-2030.tsv").read_text(
        encoding="utf-8"
    )
    dialog = page.open_import_dialog()
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.paste_edit.setPlainText(text)
    dialog.title_edit.setText("健康聊城2030（导入）")
    with (
        qtbot.waitSignal(page.data_changed, timeout=10000) as changed,
        qtbot.waitSignal(page.results_shown, timeout=10000),
    ):
        dialog.import_button.click()
    assert changed.args[0] == OpChanges(plans=True)
    assert page.plan_combo.currentText().startswith("健康聊城2030（导入）")
    assert page.model.result.plan.title == "健康聊城2030（导入）" and page.model.rowCount() == 20


def test_a_file_with_plans_but_no_org_units_says_so(qtbot, db_path, _bundled_font):
    from desktop.ops.plan_library import load_plan_library
    from desktop.ui.monitoring.scorecard_page import ScorecardPage

    conn = connect(db_path)
    load_plan_library(conn)
    runner = TaskRunner(db_path)
    try:
        page = MonitoringPage(conn, db_path, runner)
        qtbot.addWidget(page)
        page.show()
        qtbot.waitUntil(lambda: not page.message_label.isHidden(), timeout=10000)
        assert "还没有机构" in page.message_label.text() and page.model.rowCount() == 0
        card = ScorecardPage(conn, db_path, runner)
        qtbot.addWidget(card)
        card.show()  # a hidden page computes when shown
        qtbot.waitUntil(lambda: "还没有机构" in card.message_label.text(), timeout=10000)
        page.close()
        card.close()
    finally:
        runner.wait_idle()
        runner.shutdown()
        conn.close()


def test_a_baseline_taken_from_the_data_is_marked_as_such(page):
    model = page.model
    rows = {model.row_at(r).seq: r for r in range(model.rowCount())}
    # 孕产妇死亡率: the plan prints "-"; the 0 shown is the county's own 2020 value, not the plan's.
    mmr = model.index(rows["3"], model.COL_BASELINE)
    assert mmr.data() == "0.00\n2020年实际值"
    assert "本单位的实际数据" in mmr.data(Qt.ItemDataRole.ToolTipRole)
    assert "规划原文“-”" in mmr.data(Qt.ItemDataRole.ToolTipRole)
    # Row 13: the plan's 14.1 contradicts the data's 15.37, and the tooltip says so.
    thirteen = model.index(rows["13"], model.COL_BASELINE)
    assert thirteen.data() == "15.37\n2020年实际值"
    assert "规划基期值 14.1% 与2020年实际数据 15.37% 不一致" in thirteen.data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(rows["19"], model.COL_BASELINE).data() == "2.77\n2020年"  # the plan's own figure
    page.open_chart(page.proxy.mapFromSource(model.index(rows["3"], 0)).row())
    chart = page.chart_panel().chart
    chart.resize(900, 420)
    assert chart.tooltip_near(chart.point_scene_pos(2020, 0.0)).startswith(
        "基期 2020年：0.00/10万（实际数据）"
    )


def test_a_comparator_target_is_judged_once_its_reference_value_is_entered(page, qtbot, monkeypatch):
    # The reason said "需录入参照值…" but nothing in the program let anyone enter one.
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from desktop.io.plan_table import read_plan_text
    from desktop.ops.plan_import import import_plan_table, preview_plan_table

    text = (
        "指标\t2020年\t2025年\n婴儿死亡率（‰）\t2.27\t优于全省平均水平\n每千人口注册护士数（人）\t2.73\t2.8\n"
    )
    conn = page._conn
    plan_id = import_plan_table(
        conn, preview_plan_table(conn, read_plan_text(text)), title="对比目标"
    ).plan_id
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.refresh(OpChanges(plans=True))
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        page.select_plan(plan_id)
    imr = page.model.row_at(0)
    assert imr.status == "cannot_judge" and "需录入参照值" in imr.reason
    page.table.setCurrentIndex(page.proxy.index(1, 1))
    assert not page.reference_button.isEnabled()  # 注册护士 has no comparator target
    page.table.setCurrentIndex(page.proxy.index(0, 1))
    assert page.reference_button.isEnabled()

    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *args: warned.append(args[2]))
    assert not page.set_reference_text(imr.headline.target_id, "约三")
    assert warned and "不是数字" in warned[0]

    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("３．２‰", True))
    with (
        qtbot.waitSignal(page.data_changed, timeout=5000) as changed,
        qtbot.waitSignal(page.results_shown, timeout=10000),
    ):
        page.reference_button.click()
    assert changed.args[0] == OpChanges(plans=True)
    imr = page.model.row_at(0)
    assert imr.status == "achieved" and "参照值 3.2‰" in imr.reason, imr.reason
    with qtbot.waitSignal(page.results_shown, timeout=10000):
        assert page.set_reference_text(imr.headline.target_id, "  ")  # blank clears it
    assert page.model.row_at(0).status == "cannot_judge"


def test_the_year_axis_ends_with_the_last_target_year(page):
    row = next(
        r for r in range(page.model.rowCount()) if page.model.row_at(r).indicator_code == "DOCTORS_PER_1000"
    )
    page.open_chart(page.proxy.mapFromSource(page.model.index(row, 0)).row())
    chart = page.chart_panel().chart
    (x0, x1), _ = chart.plot.getViewBox().viewRange()
    years = chart.plot.getAxis("bottom").tickValues(x0, x1, 800)[0][1]
    assert years[0] == 2020 and years[-1] == 2025  # no empty 2026年 beyond the plan


def test_hidden_pages_recompute_only_when_shown(qtbot, demo_path, _bundled_font):
    # A clerk saving values on 数据填报 all day made both monitoring pages re-evaluate after every save.
    from desktop.ui.monitoring.scorecard_page import ScorecardPage

    conn = connect(demo_path)
    runner = TaskRunner(demo_path)
    try:
        pages = [MonitoringPage(conn, demo_path, runner), ScorecardPage(conn, demo_path, runner)]
        for hidden in pages:
            qtbot.addWidget(hidden)
            hidden.refresh(OpChanges(values=True))
            assert not hidden._latest.running and hidden.model.rowCount() == 0
            assert hidden.current_plan_id() is not None  # the pickers are filled all the same
        for hidden in pages:
            with qtbot.waitSignal(hidden.results_shown, timeout=10000):
                hidden.show()
            assert hidden.model.rowCount() > 0
            hidden.hide()
            hidden.refresh(OpChanges(values=True))
            assert not hidden._latest.running
            with qtbot.waitSignal(hidden.results_shown, timeout=10000):
                hidden.show()
    finally:
        runner.wait_idle()
        runner.shutdown()
        conn.close()
