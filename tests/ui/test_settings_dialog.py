"""文件 → 设置…: the user's name and the monitoring rules, driven like a clerk (Chinese goes in by setText)."""

from __future__ import annotations

import getpass
import sqlite3
import subprocess
import sys
from datetime import date

import pytest
from key_typing import key_in
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from desktop.ops.changes import OpChanges
from desktop.ops.monitoring import load_status_settings, save_status_settings
from desktop.ops.settings import DEFAULT_STATUS
from desktop.store.db import get_setting, set_setting
from desktop.ui import qt_setup
from desktop.ui.entry.form_model import FormEntryModel
from desktop.ui.entry.form_page import FormEntryPage
from desktop.ui.main_window import MainWindow
from desktop.ui.settings_dialog import SettingsDialog

HOSPITAL = "370725-01"


def _settings(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT key, value FROM setting ORDER BY key")]


@pytest.fixture
def dialog(qtbot, demo_conn):
    dialog = SettingsDialog(demo_conn)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    return dialog


@pytest.fixture
def window(qtbot, demo_conn, demo_path):
    win = MainWindow(demo_conn, demo_path)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win._runner is not None:
        win.runner.wait_idle()


def _ok(dialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_shows_the_stored_values_and_the_defaults(qtbot, demo_conn):
    set_setting(demo_conn, "user_name", "李娜")
    save_status_settings(demo_conn, approx_band=0.05, on_track_ratio=0.9)
    dialog = SettingsDialog(demo_conn)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "李娜"
    assert getpass.getuser() in dialog.name_hint.text() and "留空" in dialog.name_hint.text()
    shown = {field: edit.text() for field, edit in dialog.edits.items() if field != "user_name"}
    assert shown == {"approx_band": "5", "on_track_ratio": "90", "acceleration_ratio": "60",
                     "count_tolerance": "15", "direction_threshold": "0"}  # fmt: skip
    texts = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"默认 ±2%", "默认 95%", "默认 60%", "默认 ±15%", "默认 0%"} <= texts
    assert dialog.problems() == {}


def test_a_name_set_here_is_the_one_the_next_saved_value_records(qtbot, window, demo_conn):
    page = window.open_page("entry")
    page.set_selection("ZY-01", HOSPITAL, "2025")
    window.settings_action.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.name_edit.setText("  王秀英 ")
    with qtbot.waitSignal(window.data_changed) as changed:
        _ok(dialog)
    assert changed.args == [OpChanges(settings=True)]
    assert not dialog.isVisible()
    assert get_setting(demo_conn, "user_name") == "王秀英"

    page.grid.setCurrentIndex(page.model.index(page.model.row_of_code("01"), FormEntryModel.COL_VALUE))
    page.grid.setFocus()
    key_in(qtbot, page.grid, "1300")
    row = demo_conn.execute("SELECT new_value, changed_by FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert tuple(row) == (1300, "王秀英")


def test_an_invalid_band_is_refused_beside_its_field_and_nothing_is_written(qtbot, dialog, demo_conn):
    before = _settings(demo_conn)
    dialog.name_edit.setText("王秀英")
    dialog.edits["approx_band"].setText("60")
    _ok(dialog)
    assert dialog.isVisible() and dialog.result() == 0
    assert dialog.problems() == {"approx_band": "“左右”的允许偏差应在 0% 到 50% 之间，现在是 60%"}
    assert dialog.errors["approx_band"].isVisible()
    assert dialog.focusWidget() is dialog.edits["approx_band"]
    assert _settings(demo_conn) == before  # not the name either
    # Typing in the field takes the message away; a valid value then saves.
    dialog.edits["approx_band"].selectAll()
    key_in(qtbot, dialog.edits["approx_band"], "3", Qt.Key.Key_End)
    assert dialog.problems() == {}
    _ok(dialog)
    assert not dialog.isVisible()
    assert load_status_settings(demo_conn).approx_band == 0.03
    assert get_setting(demo_conn, "user_name") == "王秀英"


def test_bad_names_and_ratio_order_are_explained_beside_each_field(dialog, demo_conn):
    before = _settings(demo_conn)
    dialog.name_edit.setText("王\t秀英")
    dialog.edits["acceleration_ratio"].setText("99")
    _ok(dialog)
    problems = dialog.problems()
    assert "控制字符" in problems["user_name"]
    assert problems["acceleration_ratio"] == "“需加快”的进度比不能高于“进展顺利”的进度比"
    assert dialog.focusWidget() is dialog.name_edit  # the first field with a problem
    dialog.name_edit.setText("王" * 21)
    dialog.edits["acceleration_ratio"].setText("60")
    _ok(dialog)
    assert dialog.problems() == {"user_name": "姓名不能超过 20 个字，现在是 21 个字"}
    assert dialog.isVisible() and _settings(demo_conn) == before


def test_cancel_and_escape_write_nothing(qtbot, demo_conn):
    before = _settings(demo_conn)
    for close in ("cancel", "escape"):
        dialog = SettingsDialog(demo_conn)
        qtbot.addWidget(dialog)
        dialog.open()
        qtbot.waitExposed(dialog)
        dialog.name_edit.setText("王秀英")
        dialog.edits["count_tolerance"].setText("10")
        dialog.restore_defaults()
        dialog.edits["approx_band"].setText("4")
        if close == "cancel":
            dialog.cancel_button.click()
        else:
            qtbot.keyClick(dialog.edits["approx_band"], Qt.Key.Key_Escape)
        assert not dialog.isVisible() and dialog.changes is None
        assert _settings(demo_conn) == before


def test_enter_saves(qtbot, dialog, demo_conn):
    dialog.name_edit.setText("王秀英")
    dialog.edits["count_tolerance"].setFocus()
    qtbot.keyClick(dialog.edits["count_tolerance"], Qt.Key.Key_Return)
    assert not dialog.isVisible() and dialog.changes == OpChanges(settings=True)
    assert get_setting(demo_conn, "user_name") == "王秀英"


def test_restore_defaults_fills_in_the_defaults_and_saves_them_with_ok(qtbot, demo_conn):
    save_status_settings(demo_conn, approx_band=0.05, count_tolerance=0.2, acceleration_ratio=0.5)
    set_setting(demo_conn, "user_name", "李娜")
    dialog = SettingsDialog(demo_conn)
    qtbot.addWidget(dialog)
    dialog.open()
    dialog.edits["approx_band"].setText("abc")
    _ok(dialog)
    assert "approx_band" in dialog.problems()
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.problems() == {}
    assert [dialog.edits[f].text() for f in ("approx_band", "count_tolerance", "acceleration_ratio")] == [
        "2",
        "15",
        "60",
    ]
    assert dialog.name_edit.text() == "李娜"  # the name is not a monitoring rule
    assert load_status_settings(demo_conn).approx_band == 0.05  # nothing saved yet
    with qtbot.waitSignal(dialog.data_changed) as changed:
        _ok(dialog)
    assert changed.args == [OpChanges(plans=True, settings=True)]  # the monitoring pages judge again
    assert load_status_settings(demo_conn) == DEFAULT_STATUS
    assert get_setting(demo_conn, "user_name") == "李娜"


def test_an_empty_name_goes_back_to_the_login(dialog, demo_conn):
    set_setting(demo_conn, "user_name", "李娜")
    dialog.load()
    dialog.name_edit.setText("")
    _ok(dialog)
    assert get_setting(demo_conn, "user_name") is None


def test_a_file_that_cannot_be_written_is_said_in_chinese(dialog, monkeypatch, demo_conn):
    import desktop.ui.settings_dialog as module

    def read_only(*_args):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(module, "save_settings", read_only)
    dialog.name_edit.setText("王秀英")
    _ok(dialog)
    assert dialog.isVisible()
    assert "未能保存设置" in dialog.message_label.text() and "只读" in dialog.message_label.text()


def test_the_file_menu_offers_it_with_ctrl_comma(qtbot, window):
    file_menu = window.menuBar().actions()[0].menu()
    assert window.settings_action in file_menu.actions()
    assert window.settings_action.text() == "设置(&S)…"
    assert window.settings_action.shortcut().toString() == "Ctrl+,"
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None and dialog.isVisible() and dialog.isModal()
    dialog.cancel_button.click()


def test_saving_the_rules_makes_the_monitoring_page_judge_again(qtbot, window):
    page = window.open_page("monitoring")
    window.runner.wait_idle()
    seen = []
    original = page.refresh
    page.refresh = lambda changes=None: (seen.append(changes), original(changes))
    dialog = window.show_settings()
    dialog.edits["approx_band"].setText("5")
    _ok(dialog)
    window.runner.wait_idle()
    assert seen == [OpChanges(plans=True, settings=True)]


def test_the_submit_dialog_offers_the_name_set_here(qtbot, demo_conn, demo_path):
    set_setting(demo_conn, "user_name", "王秀英")
    page = FormEntryPage(demo_conn, demo_path, None, today=date(2026, 1, 10))
    qtbot.addWidget(page)
    page.show()
    page.set_selection("ZY-01", HOSPITAL, "2024")
    assert page.user_name == "王秀英"
    qtbot.mouseClick(page.actions_bar.submit_button, Qt.MouseButton.LeftButton)
    assert page.actions_bar.dialog.name_edit.text() == "王秀英"
    page.actions_bar.dialog.reject()


def test_buttons_are_qts_chinese_ones(qtbot, qapp, demo_conn):
    before = len(qt_setup._installed)
    qt_setup.install_qt_translations(qapp)
    try:
        dialog = SettingsDialog(demo_conn)
        qtbot.addWidget(dialog)
        assert (dialog.ok_button.text(), dialog.cancel_button.text()) == ("确定", "取消")
    finally:
        for translator in qt_setup._installed[before:]:
            qapp.removeTranslator(translator)
        del qt_setup._installed[before:]


def test_the_window_starts_without_importing_the_dialog():
    code = (
        "import sys; import desktop.ui.main_window; "
        "sys.stdout.write(str('desktop.ui.settings_dialog' in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False"
