"""The paste-a-plan dialog: preview with readings, carried domains, units split off, unreadable cells in red,
a changeable indicator match, and nothing stored until 导入."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox

from desktop.ops.plan_library import load_plan_library
from desktop.store import plans
from desktop.store.db import connect
from desktop.ui.monitoring.plan_import_dialog import PlanImportDialog
from desktop.ui.monitoring.plan_import_model import NEW_INDICATOR, PlanPreviewModel
from desktop.ui.monitoring.style import AMBIGUOUS_BACKGROUND, UNREADABLE_BACKGROUND
from desktop.ui.task_runner import TaskRunner

TABLES = Path(__file__).resolve().parents[1] / "data" / "plan_tables"


@pytest.fixture
def dialog(qtbot, db_path, _bundled_font):
    conn = connect(db_path)
    load_plan_library(conn)
    runner = TaskRunner(db_path)
    widget = PlanImportDialog(conn, runner)
    qtbot.addWidget(widget)
    widget.show()
    yield widget
    widget.close()
    runner.wait_idle()
    runner.shutdown()
    conn.close()


def _paste(qtbot, dialog, text: str) -> None:
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.paste_edit.setPlainText(text)


def test_pasted_table_is_previewed_cell_by_cell(dialog, qtbot, qtmodeltester):
    _paste(qtbot, dialog, (TABLES / "liaocheng-2030.tsv").read_text(encoding="utf-8"))
    model = dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == 20
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == [
        "行",
        "序号",
        "领域",
        "指标名称",
        "单位",
        "性质",
        "对应指标",
        "基期（2015年）",
        "2020年目标",
        "2030年目标",
    ]
    name = model.index(7, PlanPreviewModel.COL_NAME)
    assert name.data() == "人均体育场面积" and model.index(7, PlanPreviewModel.COL_UNIT).data() == "平方米"
    assert "人均体育场面积（平方米）(市体育局)" in model.index(7, PlanPreviewModel.COL_UNIT).data(
        Qt.ItemDataRole.ToolTipRole
    )
    carried = model.index(1, PlanPreviewModel.COL_DOMAIN)
    assert carried.data() == "健康水平" and carried.data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(0, PlanPreviewModel.COL_DOMAIN).data(Qt.ItemDataRole.FontRole) is None
    target = model.index(0, model.year_column(2030))
    assert (
        target.data() == "81左右\n→ 81 左右"
        and target.data(Qt.ItemDataRole.ToolTipRole) == "81 左右（允许一定浮动）"
    )
    ambiguous = model.index(9, model.year_column(2020))
    assert ambiguous.data(Qt.ItemDataRole.BackgroundRole) == AMBIGUOUS_BACKGROUND
    assert model.index(0, PlanPreviewModel.COL_MATCH).data() == "人均预期寿命（名称一致）"
    assert (
        "读到 20 个指标行（基期 2015年，目标年 2020年、2030年）；20 行对应已有指标"
        in dialog.summary_label.text()
    )
    assert "无法识别的单元格 0 个，需核对 2 个" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()  # no title yet


def test_unreadable_cells_are_red_and_listed(dialog, qtbot):
    _paste(qtbot, dialog, "指标\t2020年\t2025年\n人均预期寿命（岁）\t80\t约八十一\n")
    cell = dialog.model.index(0, dialog.model.year_column(2025))
    assert cell.data(Qt.ItemDataRole.BackgroundRole) == UNREADABLE_BACKGROUND
    assert cell.data() == "约八十一\n✗ 无法识别"
    assert "第 2 行“人均预期寿命”2025年目标“约八十一”" in dialog.problems_label.text()
    assert "无法识别的单元格 1 个" in dialog.summary_label.text()


def test_text_that_is_not_a_table_gets_a_message(dialog, qtbot):
    _paste(qtbot, dialog, "人均预期寿命 80.11 80.15以上")
    assert dialog.model.preview is None and "没有制表符分隔的单元格" in dialog.summary_label.text()
    assert not dialog.import_button.isEnabled()


def test_match_can_be_changed_with_the_combo_editor(dialog, qtbot):
    _paste(qtbot, dialog, "指标\t2020年\t2025年\n每千人口执业助理医师数（人）\t2.77\t2.8\n")
    model = dialog.model
    index = model.index(0, PlanPreviewModel.COL_MATCH)
    assert index.data().startswith("（新建指标")
    dialog.table.edit(index)
    editor = dialog.table.findChild(QComboBox)
    assert editor is not None and editor.count() >= 2 and "DOCTORS_PER_1000" in editor.itemText(0)
    editor.setCurrentIndex(0)
    dialog.table.commitData(editor)
    assert model.choices()[0] == editor.itemData(0) and index.data().startswith("每千人口执业（助理）医师数")
    model.setData(index, NEW_INDICATOR)
    assert model.choices()[0] is None


def test_confirm_stores_the_plan_and_reports_it(dialog, qtbot):
    conn = dialog._conn
    before = len(plans.list_plans(conn))
    _paste(qtbot, dialog, (TABLES / "changle-14th-fyp.tsv").read_text(encoding="utf-8"))
    assert len(plans.list_plans(conn)) == before  # nothing stored by the preview
    dialog.title_edit.setText("昌乐县十四五规划（导入）")
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.plan_imported, timeout=10000) as done:
        dialog.import_button.click()
    result = done.args[0]
    assert result.rows == 33 and result.targets == 33
    stored = plans.get_plan(conn, result.plan_id)
    assert stored.title == "昌乐县十四五规划（导入）" and stored.baseline_year == 2020
    assert dialog.result() == dialog.DialogCode.Accepted


def test_unreadable_cells_ask_before_importing(dialog, qtbot, monkeypatch):
    _paste(qtbot, dialog, "指标\t2020年\t2025年\n人均预期寿命（岁）\t80\t约八十一\n")
    dialog.title_edit.setText("甲")
    asked = []

    def answer(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    dialog.confirm()
    assert asked and "有 1 个单元格无法识别" in asked[0]
    assert dialog.isVisible() and len(plans.list_plans(dialog._conn)) == 3


def test_file_source_and_baseline_year(dialog, qtbot):
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.load_file(TABLES / "liaocheng-healthy-action.xlsx")
    assert dialog.model.rowCount() == 31
    assert dialog.model.headerData(7, Qt.Orientation.Horizontal) == "基期"
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.baseline_spin.setValue(2018)
    assert dialog.model.headerData(7, Qt.Orientation.Horizontal) == "基期（2018年）"
    assert "liaocheng-healthy-action.xlsx" in dialog.file_label.text()


def test_paste_button_reads_the_clipboard(dialog, qtbot):
    QApplication.clipboard().setText("指标\t2020年\t2025年\n婴儿死亡率（‰）\t3\t≦4\n")
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.paste_button.click()
    assert dialog.model.index(0, PlanPreviewModel.COL_UNIT).data() == "‰"


def test_closing_while_the_preview_runs_is_harmless(qtbot, db_path, _bundled_font):
    # Esc right after pasting: the preview finished after the dialog (WA_DeleteOnClose) and its model were
    # deleted, and "Internal C++ object (PlanPreviewModel) already deleted" reached the error dialog.
    conn = connect(db_path)
    load_plan_library(conn)
    runner = TaskRunner(db_path)
    try:
        widget = PlanImportDialog(conn, runner)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        widget.show()
        widget.paste_edit.setPlainText((TABLES / "liaocheng-healthy-action.tsv").read_text(encoding="utf-8"))
        widget.update_preview()
        widget.reject()
        assert runner.wait_idle()
        for _ in range(20):
            QApplication.processEvents()
    finally:
        runner.shutdown()
        conn.close()


def test_while_storing_the_dialog_neither_closes_nor_stores_twice(dialog, qtbot):
    conn = dialog._conn
    before = len(plans.list_plans(conn))
    _paste(qtbot, dialog, (TABLES / "liaocheng-2030.tsv").read_text(encoding="utf-8"))
    dialog.title_edit.setText("健康聊城2030（导入）")
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    with qtbot.waitSignal(dialog.plan_imported, timeout=10000):
        dialog.import_button.click()
        dialog.confirm()  # a second click or Enter before the first has finished
        assert not cancel.isEnabled() and not dialog.import_button.isEnabled()
        dialog.reject()  # Esc: ignored while the transaction runs
        assert dialog.isVisible()
    assert dialog._runner.wait_idle()
    assert len(plans.list_plans(conn)) == before + 1
    assert dialog.result() == dialog.DialogCode.Accepted


def test_a_cancelled_import_stores_nothing_and_can_be_retried(dialog, qtbot, monkeypatch):
    from desktop.ops.progress import Cancelled
    from desktop.ui.monitoring import plan_import_dialog

    conn = dialog._conn
    before = len(plans.list_plans(conn))
    _paste(qtbot, dialog, (TABLES / "liaocheng-2030.tsv").read_text(encoding="utf-8"))
    dialog.title_edit.setText("甲")

    def cancelled(*args, **kwargs):
        raise Cancelled()

    monkeypatch.setattr(plan_import_dialog, "import_plan_table", cancelled)
    dialog.import_button.click()
    assert dialog._runner.wait_idle()
    qtbot.waitUntil(lambda: dialog.import_button.isEnabled(), timeout=5000)
    assert dialog.isVisible() and len(plans.list_plans(conn)) == before
    dialog.reject()
    assert not dialog.isVisible()


def test_a_baseline_column_without_a_year_asks_for_the_year(dialog, qtbot):
    _paste(qtbot, dialog, "指标\t基期水平\t2025年\t\n婴儿死亡率（‰）\t3.1\t≦4\t\n")
    assert "未注明年份，请在下方填写基期年份" in dialog.summary_label.text()
    with qtbot.waitSignal(dialog.preview_ready, timeout=10000):
        dialog.baseline_spin.setValue(2020)
    assert "基期 2020年" in dialog.summary_label.text()


def test_tab_leaves_the_preview_table(dialog, qtbot):
    _paste(qtbot, dialog, (TABLES / "liaocheng-2030.tsv").read_text(encoding="utf-8"))
    dialog.activateWindow()
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(dialog.model.index(0, 0))
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert not dialog.table.hasFocus()
