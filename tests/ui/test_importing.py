"""The import dialog on the demo county: preview in the background, errors listed and filterable, apply once."""

from __future__ import annotations

import threading

import openpyxl
import pytest

from desktop.io import value_workbook as vw
from desktop.ops import import_values
from desktop.ops.backups import list_backups
from desktop.ops.changes import OpChanges
from desktop.store import orgunits
from desktop.store.db import set_setting
from desktop.ui.importing import import_dialog as dialog_module
from desktop.ui.importing.import_dialog import ImportDialog
from desktop.ui.importing.import_models import ImportChangesModel, ImportProblemsModel
from desktop.ui.task_runner import TaskRunner

HOSPITAL = "370725-01"


@pytest.fixture
def conn(demo_conn):
    return demo_conn


@pytest.fixture
def runner(qtbot, demo_path):
    task_runner = TaskRunner(demo_path)
    yield task_runner
    task_runner.shutdown()


@pytest.fixture
def dialog(qtbot, conn, demo_path, runner):
    widget = ImportDialog(conn, demo_path, runner, user="王秀英")
    qtbot.addWidget(widget)
    return widget


def _count(conn):
    return conn.execute("SELECT count(*) FROM data_value").fetchone()[0]


def _rows(n=30):
    codes = ["BEDS_APPROVED", "BEDS_ACTUAL", "HEALTH_TECH", "DOC_PRACT", "NURSES"]
    units = [HOSPITAL, "370725-02", "370725-03", "370725002-01", "370725003-01", "370725101-01"]
    return [(u, c, "2025", 100 + i) for i, (u, c) in enumerate((u, c) for u in units for c in codes)][:n]


def _load(qtbot, dialog, path):
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.load_file(path)
    return dialog.preview


def test_a_bad_last_row_is_listed_and_nothing_can_be_applied(qtbot, dialog, conn, tmp_path):
    path = vw.write_long_workbook(tmp_path / "bad.xlsx", [*_rows(), (HOSPITAL, "NURSES", "2025Q1", "x")])
    before = _count(conn)
    preview = _load(qtbot, dialog, path)
    assert len(preview.errors) == 2  # a quarter for a yearly element, and a value that is not a number
    assert dialog.tabs.currentIndex() == 0 and dialog.tabs.tabText(0) == "错误 (2)"
    assert not dialog.apply_button.isEnabled()
    assert "没有写入任何数据" in dialog.banner.text()
    assert "发现 2 处错误" in dialog.summary_label.text()
    model = dialog.problems_model
    assert [model.data(model.index(0, c)) for c in range(model.columnCount())][:4] == [
        "数据",
        "32",
        "C32",
        "报告期",
    ]
    # Filter by field, then by text.
    dialog.field_combo.setCurrentIndex(dialog.field_combo.findData("数值"))
    assert dialog.problems_proxy.rowCount() == 1
    dialog.field_combo.setCurrentIndex(0)
    dialog.problem_filter.setText("季度")
    assert dialog.problems_proxy.rowCount() == 1
    dialog.apply()  # refused while there are errors
    assert _count(conn) == before


def test_a_good_file_is_applied_once_with_backup_and_data_changed(qtbot, dialog, conn, demo_path, tmp_path):
    path = vw.write_long_workbook(tmp_path / "good.xlsx", [*_rows(), (HOSPITAL, "BEDS_ACTUAL", "2024", 1600)])
    before = _count(conn)
    preview = _load(qtbot, dialog, path)
    assert preview.errors == [] and dialog.tabs.currentIndex() == 1
    assert dialog.apply_button.isEnabled() and dialog.apply_button.text() == "导入 31 个值(&A)"
    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData(import_values.CHANGED))
    assert dialog.changes_proxy.rowCount() == 1
    index = dialog.changes_proxy.index(0, ImportChangesModel.COL_OLD)
    assert dialog.changes_proxy.data(index) == "1,519"
    assert dialog.changes_proxy.data(index.siblingAtColumn(ImportChangesModel.COL_NEW)) == "1,600"

    with qtbot.waitSignal(dialog.data_changed, timeout=10_000) as changed:
        dialog.apply_button.click()
    assert changed.args == [OpChanges(values=True)]
    assert _count(conn) == before + 30
    assert "新增 30 个值，修改 1 个值" in dialog.banner.text() and "备份" in dialog.banner.text()
    assert list_backups(demo_path)[0].reason == "导入前"
    assert not dialog.apply_button.isEnabled()
    audit = conn.execute("SELECT changed_by, reason FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(audit) == ("王秀英", "导入：good.xlsx")


def test_cancel_during_apply_writes_nothing(qtbot, dialog, conn, tmp_path, monkeypatch):
    path = vw.write_long_workbook(tmp_path / "good.xlsx", _rows())
    _load(qtbot, dialog, path)
    before = _count(conn)
    started, gate = threading.Event(), threading.Event()
    real = import_values.apply_import

    def held(*args, **kwargs):
        started.set()
        gate.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "apply_import", held)
    handle = dialog.apply()
    assert started.wait(5)
    handle.cancel()
    gate.set()
    with qtbot.waitSignal(handle.done, timeout=10_000):
        pass
    assert handle.cancelled
    assert "已取消导入，没有写入任何数据" in dialog.banner.text()
    assert _count(conn) == before
    assert dialog.apply_button.isEnabled()  # the same preview can still be applied


def test_the_dialog_stays_open_until_the_import_it_started_is_done(
    qtbot, dialog, conn, tmp_path, monkeypatch
):
    path = vw.write_long_workbook(tmp_path / "good.xlsx", _rows(3))
    _load(qtbot, dialog, path)
    dialog.show()
    started, gate = threading.Event(), threading.Event()
    real = import_values.apply_import

    def held(*args, **kwargs):
        started.set()
        gate.wait(5)
        return real(*args, **kwargs)

    monkeypatch.setattr(dialog_module, "apply_import", held)
    handle = dialog.apply()
    assert started.wait(5)
    assert not dialog.close_button.isEnabled()
    dialog.reject()  # Esc
    dialog.close()  # the window's ×
    assert dialog.isVisible() and "请等它完成" in dialog.banner.text()
    gate.set()
    with qtbot.waitSignal(dialog.data_changed, timeout=10_000):
        pass
    assert handle.is_done and "已导入" in dialog.banner.text() and dialog.close_button.isEnabled()


def test_unreadable_file_gets_a_message_not_a_traceback(qtbot, dialog, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    handle = dialog.load_file(broken)
    with qtbot.waitSignal(handle.done, timeout=10_000):
        pass
    assert "不是有效的 Excel 工作簿" in dialog.banner.text()
    assert dialog.preview is None and not dialog.apply_button.isEnabled()


def test_a_file_with_no_values_says_so_rather_than_same_as_stored(qtbot, dialog, tmp_path):
    path = vw.write_long_csv(tmp_path / "blank.csv", [(HOSPITAL, "NURSES", "2025", None)])
    preview = _load(qtbot, dialog, path)
    assert preview.errors == [] and preview.changes == []
    assert "没有可导入的数值" in dialog.banner.text() and "1 行的数值单元格是空的" in dialog.banner.text()
    assert "相同" not in dialog.banner.text() and not dialog.apply_button.isEnabled()


def test_the_importer_is_the_name_the_entry_screens_record(qtbot, conn, demo_path, runner):
    set_setting(conn, "user_name", "王秀英")
    widget = ImportDialog(conn, demo_path, runner)
    qtbot.addWidget(widget)
    assert "王秀英" in widget.user_label.text()


def test_form_sheet_takes_the_unit_and_period_chosen_in_the_dialog(qtbot, dialog, conn, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "ZY-01"
    for row in (["代码", "指标名称", "本期"], ["01", "编制床位", 1550], ["02", "实有床位", 1580]):
        sheet.append(row)
    path = tmp_path / "form.xlsx"
    workbook.save(path)
    preview = _load(qtbot, dialog, path)
    assert {e.field for e in preview.errors} == {"单位代码", "报告期"}
    dialog.set_default_unit(orgunits.get_org_unit_by_code(conn, HOSPITAL).id)
    dialog.period_edit.setText("2025")
    with qtbot.waitSignal(dialog.preview_ready, timeout=10_000):
        dialog.recheck_button.click()
    assert dialog.preview.errors == [] and dialog.preview.new_count == 2
    assert "报表格式，2 行数据" in dialog.sheets_label.text()


@pytest.mark.qt_log_level_fail("WARNING")
def test_models_pass_qtmodeltester(qtmodeltester, conn, tmp_path):
    path = vw.write_long_workbook(tmp_path / "m.xlsx", [*_rows(10), ("nope", "NURSES", "2025", 1)])
    preview = import_values.preview_import(conn, path)
    changes = ImportChangesModel()
    changes.load(preview.changes)
    qtmodeltester.check(changes, force_py=True)
    problems = ImportProblemsModel()
    problems.load(preview.errors)
    qtmodeltester.check(problems, force_py=True)
