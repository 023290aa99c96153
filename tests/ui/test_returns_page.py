"""The 报表 screen: preview with checks, export in the background with an open-folder offer, import with a diff
shown before anything is written, the identity settings dialog, the expired-template warning."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox
from sql_reads import stored

from desktop.ops.changes import OpChanges
from desktop.store.db import connect
from desktop.ui.returns import ReturnsPage
from desktop.ui.returns.dialogs import ChangesModel
from desktop.ui.task_runner import TaskRunner


@pytest.fixture
def page(demo_path, qtbot, _bundled_font):
    conn = connect(demo_path)
    runner = TaskRunner(demo_path)
    widget = ReturnsPage(conn, demo_path, runner)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    assert runner.wait_idle()
    yield widget
    if widget.message_box is not None:
        widget.message_box.close()
    runner.shutdown()
    conn.close()


def _wait(page) -> None:
    assert page._runner.wait_idle()


def test_preview_of_the_county_annual_return(page, qtmodeltester):
    assert page.current_template().id == "resources-annual"
    assert page.current_unit().code == "370725" and page.current_period().code == "2024"
    model = page.preview_model
    qtmodeltester.check(model)
    qtmodeltester.check(page.checks_model)
    assert model.rowCount() == 26 and model.columnCount() == 6
    assert model.cell_text(0, 1) == "01" and model.cell_text(0, 0) == "医疗卫生机构数"
    assert model.cell_text(0, 3) == str(stored(page._conn, "INST_TOTAL", "370725", "2024"))
    assert model.cell_text(22, 3) == "6.66"  # 每千常住人口床位数, two decimals
    header = model.headerData(3, Qt.Orientation.Horizontal)
    assert "本年" in header and header.endswith("1")
    assert "鲁卫健统县1表" in page.identity_label.text()
    assert page.xlsx_button.isEnabled() and page.pdf_button.isEnabled() and page.import_button.isEnabled()
    assert page.warning_label.isHidden()


def test_switching_template_and_following_the_org_tree(page, qtbot):
    with qtbot.waitSignal(page.preview_shown, timeout=10000):
        page.select_template("screening-quarterly")
    _wait(page)
    assert page.current_period().code == "2024Q4"  # the newest quarter with data, not an empty one
    assert page.preview_model.rowCount() == 9
    assert page.preview_model.cell_text(0, 0) == "合计"
    page.set_org_unit(50)  # 鄌郚中心卫生院: the quarterly return is filed by the county above it
    assert page.current_unit().code == "370725"
    page.select_template("plan-monitoring")
    _wait(page)
    assert page.preview_model.rowCount() == 33
    assert not page.import_button.isEnabled()  # a generated table cannot be imported


def test_export_runs_in_the_background_and_offers_the_folder(page, qtbot, tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    for suffix in ("xlsx", "pdf"):
        target = tmp_path / f"out.{suffix}"
        with qtbot.waitSignal(page.exported, timeout=10000) as blocker:
            page.export_to(target)
        assert blocker.args[0].path == target and target.exists()
    box = page.message_box
    assert box is not None and "out.pdf" in box.text()
    open_button = next(b for b in box.buttons() if "打开所在文件夹" in b.text())
    open_button.click()
    assert opened == [str(tmp_path)]
    assert "已导出" in page.status_label.text()


def test_expired_template_shows_a_warning_and_still_exports(page, qtbot, tmp_path):
    page._conn.execute(
        "INSERT INTO setting (key, value) VALUES ('template.resources-annual.valid_until', '2020-12')"
    )
    page.refresh(OpChanges(returns=True))
    _wait(page)
    assert page.warning_label.isVisible() or not page.warning_label.isHidden()
    assert "已过期" in page.warning_label.text()
    with qtbot.waitSignal(page.exported, timeout=10000):
        page.export_to(tmp_path / "old.xlsx")
    assert (tmp_path / "old.xlsx").exists()
    assert (
        page.message_box.icon() == QMessageBox.Icon.Warning and "已过期" in page.message_box.informativeText()
    )


def test_import_shows_the_diff_and_writes_only_on_confirmation(page, qtbot, tmp_path, qtmodeltester):
    target = tmp_path / "filled.xlsx"
    with qtbot.waitSignal(page.exported, timeout=10000):
        page.export_to(target)
    page.message_box.close()
    old = stored(page._conn, "NURSES", "370725", "2024")
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "04.3")
    ws.cell(row, 4).value = old + 12
    wb.save(target)

    with qtbot.waitSignal(page.import_planned, timeout=10000):
        page.import_from(target)
    dialog = page.import_dialog
    assert dialog is not None and dialog.isVisible()
    qtmodeltester.check(dialog.model)
    assert dialog.model.rowCount() == 1
    assert [dialog.model.index(0, c).data() for c in (1, 2, 5, 6)] == [
        "04.3",
        "注册护士",
        str(old),
        str(old + 12),
    ]
    assert stored(page._conn, "NURSES", "370725", "2024") == old  # nothing written before confirmation
    changes = []
    page.data_changed.connect(changes.append)
    with qtbot.waitSignal(page.imported, timeout=10000):
        dialog.apply_button.click()
    _wait(page)
    assert stored(page._conn, "NURSES", "370725", "2024") == old + 12
    assert changes and changes[0].values
    assert page.preview_model.cell_text(15, 3) == str(old + 12)  # the preview shows the new value


def test_refused_import_names_the_cell_and_writes_nothing(page, qtbot, tmp_path):
    target = tmp_path / "bad.xlsx"
    with qtbot.waitSignal(page.exported, timeout=10000):
        page.export_to(target)
    page.message_box.close()
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 2).value == "02")
    ws.cell(row, 4).value = "不详"
    wb.save(target)
    before = stored(page._conn, "BEDS_APPROVED", "370725", "2024")
    page.import_from(target)
    _wait(page)
    box = page.message_box
    assert box is not None and "未写入任何数据" in box.text()
    assert f"单元格 D{row}" in box.informativeText() and "不详" in box.detailedText()
    assert page.import_dialog is None
    assert stored(page._conn, "BEDS_APPROVED", "370725", "2024") == before


def test_identity_dialog_saves_settings(page, qtbot):
    dialog = page.open_identity_dialog()
    assert dialog is not None and dialog.edits["table_no"].text() == "鲁卫健统县1表"
    dialog.edits["valid_until"].setText("不知道")
    dialog.accept()
    assert dialog.isVisible() and "不是日期" in dialog.error_label.text()
    dialog.edits["valid_until"].setText("2028-06")
    dialog.edits["table_no"].setText("鲁卫健统县1表（新版）")
    with qtbot.waitSignal(page.data_changed, timeout=10000):
        dialog.accept()
    _wait(page)
    assert "鲁卫健统县1表（新版）" in page.template_combo.currentText()
    assert "2028年6月" in page.identity_label.text()
    dialog = page.open_identity_dialog()
    dialog.reset_to_defaults()
    assert dialog.edits["table_no"].text() == "鲁卫健统县1表"
    dialog.reject()


def test_changes_model_shows_rollup_origin():
    from desktop.ops.import_return import ValueChange

    change = ValueChange("表", "D9", "03", "实有床位", "本年", "BEDS_ACTUAL", "实有床位", "370725", "昌乐县",
                         "2024", 4023.0, 4100, None, old_was_rollup=True)  # fmt: skip
    model = ChangesModel([change])
    assert model.index(0, 5).data() == "4023（下级汇总）" and model.index(0, 6).data() == "4100"


def test_empty_database_shows_a_message_not_an_error(db_path, qtbot, _bundled_font):
    conn = connect(db_path)
    runner = TaskRunner(db_path)
    try:
        page = ReturnsPage(conn, db_path, runner)
        qtbot.addWidget(page)
        assert runner.wait_idle()
        assert page.preview_model.rowCount() == 0
        assert "没有填报" in page.warning_label.text()
        assert not page.xlsx_button.isEnabled() and not page.pdf_button.isEnabled()
    finally:
        runner.shutdown()
        conn.close()


def test_a_broken_template_file_is_named_and_the_others_still_work(demo_path, qtbot, _bundled_font, tmp_path,
                                                                   monkeypatch):  # fmt: skip
    import shutil

    from desktop.core import paths

    folder = tmp_path / "report_templates"
    shutil.copytree(paths.templates_dir(), folder)
    text = (folder / "key-projects.toml").read_text(encoding="utf-8")
    (folder / "key-projects.toml").write_text(text + "\n[page\n", "utf-8")  # an unclosed table header
    monkeypatch.setattr(paths, "templates_dir", lambda: folder)
    conn = connect(demo_path)
    runner = TaskRunner(demo_path)
    try:
        page = ReturnsPage(conn, demo_path, runner)
        qtbot.addWidget(page)
        assert runner.wait_idle()
        assert page.template_combo.count() == 3  # the three good returns are still offered
        assert page.preview_model.rowCount() == 26 and page.xlsx_button.isEnabled()
        warning = page.warning_label.text()
        assert not page.warning_label.isHidden() and "key-projects.toml" in warning and "第" in warning
    finally:
        runner.shutdown()
        conn.close()


def test_signer_line_shows_the_names_the_workflow_recorded(page, qtbot):
    from desktop.ops import workflow

    unsigned = page.signers_label.text()
    assert (
        "自动填入" in unsigned and "报出日期：（空）" in unsigned
    )  # nobody has signed the demo's 2024 return
    key = dict(data_set_code="ZY-02", org_unit_code="370725", period="2024")
    workflow.submit(page._conn, **key, user="王小红", contact_phone="0536-6212345")
    workflow.review(page._conn, **key, user="李建国")
    workflow.approve(page._conn, **key, user="张伟")
    page.refresh(OpChanges(returns=True))
    _wait(page)
    text = page.signers_label.text()
    for expected in (
        "单位负责人：张伟",
        "统计负责人：李建国",
        "填表人：王小红",
        "0536-6212345",
        "报出日期：20",
    ):
        assert expected in text, text
    with qtbot.waitSignal(page.preview_shown, timeout=10000):
        page.select_template("key-projects")  # generated from the project register, no review workflow
    assert "手工签署" in page.signers_label.text()


def test_import_dialog_shows_every_note_in_full(page, qtbot, tmp_path):
    """Cells left empty, an edited 上年同期 and an edited computed row are named above the diff; the summary
    is tall enough for all of them (it used to be cut off at the dialog's edge)."""
    target = tmp_path / "mixed.xlsx"
    with qtbot.waitSignal(page.exported, timeout=10000):
        page.export_to(target)
    page.message_box.close()
    wb = openpyxl.load_workbook(target)
    ws = wb.active
    rows = {ws.cell(r, 2).value: r for r in range(1, ws.max_row + 1)}
    ws.cell(rows["03"], 4).value = 4100
    ws.cell(rows["02"], 4).value = None
    ws.cell(rows["04"], 5).value = 1
    ws.cell(rows["08"], 4).value = 9.99
    wb.save(target)
    with qtbot.waitSignal(page.import_planned, timeout=10000):
        page.import_from(target)
    dialog = page.import_dialog
    dialog.show()
    qtbot.waitExposed(dialog)
    text = dialog.summary.text()
    assert f"D{rows['02']}（02）" in text and "上年同期" in text and f"D{rows['08']}（08 本年）" in text
    assert dialog.summary.height() >= dialog.summary.heightForWidth(dialog.summary.width())
    dialog.reject()
