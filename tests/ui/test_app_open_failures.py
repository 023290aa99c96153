"""Opening a database that cannot be opened, the way a clerk meets it: a damaged file (with a way back through
the backups), a read-only file, an unusable data folder. Never a traceback, never an "already running" lie."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from desktop.app import _Session, acquire_lock, setup_logging
from desktop.core import paths
from desktop.ops.backups import backup_now, list_backups
from desktop.store.db import DamagedDatabase, DatabaseError, connect, get_setting, set_setting
from desktop.ui import error_dialog
from desktop.ui.backups.restore_dialog import RestoreDialog
from desktop.ui.error_dialog import DatabaseOpenErrorDialog, ask_after_open_failure

REPO = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


@pytest.fixture
def dialogs(monkeypatch):
    """Every DatabaseOpenErrorDialog shown is recorded and answered with the next of `answers` (button names:
    "restore", "pick", "quit"); the test sets the answers."""
    shown: list[DatabaseOpenErrorDialog] = []
    answers: list[str] = []

    def fake_exec(dialog: DatabaseOpenErrorDialog) -> int:
        shown.append(dialog)
        button = {
            "restore": dialog.restore_button,
            "pick": dialog.pick_button,
            "quit": dialog.quit_button,
        }[answers.pop(0)]
        dialog.show()
        button.click()
        return 0

    monkeypatch.setattr(DatabaseOpenErrorDialog, "exec", fake_exec)
    return shown, answers


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _demo_with_marker(demo_path: Path) -> None:
    conn = connect(demo_path)
    set_setting(conn, "marker", "before the crash")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()


def test_a_damaged_file_offers_a_restore_and_opens_once_restored(qtbot, demo_path, dialogs, monkeypatch):
    _demo_with_marker(demo_path)
    backup_now(demo_path)
    _truncate(demo_path)
    shown, answers = dialogs
    answers.extend(["restore"])

    def restore_newest(dialog: RestoreDialog) -> int:
        # What the clerk does in the list: the newest backup is selected; 恢复 → 是.
        monkeypatch.setattr(dialog, "_confirm", lambda _what: True)
        assert dialog.restore_selected()
        assert dialog.wait_idle()
        return 0

    monkeypatch.setattr(RestoreDialog, "exec", restore_newest)
    session = _Session()
    try:
        assert session.open(demo_path, default=False, interactive=True)
        assert get_setting(session.conn, "marker") == "before the crash"
    finally:
        session.close()
    assert len(shown) == 1
    assert shown[0].restore_button is not None and shown[0].restore_button.text() == "从备份恢复…"
    assert "文件内容已损坏" in shown[0].informativeText()
    assert "Traceback" not in shown[0].informativeText()


def test_quitting_the_dialog_leaves_the_damaged_file_as_it_was(qtbot, demo_path, dialogs):
    _truncate(demo_path)
    before = demo_path.read_bytes()
    _shown, answers = dialogs
    answers.append("quit")
    assert not _Session().open(demo_path, default=False, interactive=True)
    assert demo_path.read_bytes() == before
    assert acquire_lock(demo_path) is not None  # the lock was given back


def test_restore_is_offered_only_for_damaged_files(qtbot, tmp_path, dialogs):
    other = tmp_path / "other.sqlite"
    conn = connect(other)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.close()
    shown, answers = dialogs
    answers.append("quit")
    assert not _Session().open(other, default=False, interactive=True)
    assert shown[0].restore_button is None  # restoring over another program's file would destroy it
    assert "其他程序" in shown[0].informativeText()


def test_cancelling_the_file_picker_goes_back_to_the_choice(qtbot, tmp_path, dialogs, monkeypatch):
    shown, answers = dialogs
    answers.extend(["pick", "quit"])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    error = DamagedDatabase("数据库文件“x”是空文件（0 字节）。", tmp_path / "x.sqlite")
    assert ask_after_open_failure(error, tmp_path / "x.sqlite", None) == (DatabaseOpenErrorDialog.QUIT, None)
    assert len(shown) == 2


def test_an_empty_default_database_with_backups_is_not_replaced_by_the_demo(qtbot, demo_template, dialogs):
    path = paths.default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(demo_template.read_bytes())
    backup_now(path)
    path.write_bytes(b"")  # a power cut while the file was being rewritten
    shown, answers = dialogs
    answers.append("quit")
    assert not _Session().open(path, default=True, interactive=True)
    assert path.stat().st_size == 0  # not silently refilled with the demo county
    assert "空文件" in shown[0].informativeText() and shown[0].restore_button is not None
    assert list_backups(path)


def test_an_unwritable_data_folder_is_named_not_reported_as_already_running(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HEALTHDESK_HOME", str(blocker / "home"))  # mkdir fails even for root
    with pytest.raises(DatabaseError) as info:
        acquire_lock(tmp_path / "a.sqlite")
    assert "HEALTHDESK_HOME" in info.value.message
    assert not _Session().open(tmp_path / "a.sqlite", default=False, interactive=False)
    err = capsys.readouterr().err
    assert "无法在用户数据文件夹" in err and "已在运行" not in err


def test_the_interactive_unwritable_data_folder_message(qtbot, tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("HEALTHDESK_HOME", str(blocker / "home"))
    messages = []
    monkeypatch.setattr(error_dialog, "show_cannot_start", lambda _parent, message: messages.append(message))
    assert not _Session().open(tmp_path / "a.sqlite", default=False, interactive=True)
    assert messages and "程序无法启动" in messages[0]


def test_without_a_writable_log_folder_no_traceback_reaches_stderr(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--quit-after-shown"],
        env=_env(QT_QPA_PLATFORM="offscreen", HEALTHDESK_HOME=str(blocker / "home")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "无法在用户数据文件夹" in result.stderr


def test_setup_logging_without_a_folder_keeps_logging_quiet(tmp_path, monkeypatch):
    import logging

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", [])
    assert setup_logging(blocker / "logs") is None
    assert root.handlers and isinstance(root.handlers[0], logging.NullHandler)


def test_the_database_open_dialog_reads_well(qtbot, tmp_path):
    path = tmp_path / "县卫健局" / "healthdesk.sqlite"
    dialog = DatabaseOpenErrorDialog(
        f"数据库文件“{path}”无法读取：文件内容已损坏。", path, None, can_restore=True
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [b.text() for b in dialog.buttons()]
    assert texts == ["从备份恢复…", "选择其他文件…", "退出"] or sorted(texts) == sorted(
        ["从备份恢复…", "选择其他文件…", "退出"]
    )
    assert dialog.defaultButton() is dialog.restore_button
    assert dialog.escapeButton() is dialog.quit_button
    assert "可以从备份恢复这个文件" in dialog.informativeText()
    assert dialog.choice() == DatabaseOpenErrorDialog.QUIT  # closed with the window's × means quit
    assert isinstance(dialog, QMessageBox)
