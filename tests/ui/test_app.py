"""The composition root: no-display message, logging and exception hooks, error dialogs, the lock, the probe."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QGuiApplication

from desktop import app as app_module
from desktop.app import (
    EXIT_NO_DISPLAY,
    acquire_lock,
    install_excepthooks,
    lock_file_path,
    no_display_message,
    setup_logging,
)
from desktop.ui.error_dialog import DatabaseOpenErrorDialog, ErrorDialog, format_error_report
from desktop.ui.error_reporter import ErrorReporter

REPO = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["PYTHONPATH"] = str(REPO)
    env.update(extra)
    return env


def _raise_and_catch():
    try:
        raise ValueError("数值错误：第 3 行")
    except ValueError:
        return sys.exc_info()


@pytest.fixture
def log_file(tmp_path):
    """setup_logging into tmp_path; the handler is removed again afterwards."""
    root = logging.getLogger()
    before = list(root.handlers)
    level = root.level
    path = setup_logging(tmp_path / "logs")
    yield path
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def restore_hooks(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)


# --- no display -------------------------------------------------------------------------------------------


def test_no_display_message_only_when_linux_has_no_display():
    message = no_display_message({}, "linux")
    assert message is not None
    assert "QT_QPA_PLATFORM=offscreen healthdesk" in message
    assert "xvfb-run" in message
    assert "没有找到图形显示" in message and "No graphical display" in message
    assert no_display_message({"DISPLAY": ":0"}, "linux") is None
    assert no_display_message({"WAYLAND_DISPLAY": "wayland-0"}, "linux") is None
    assert no_display_message({"QT_QPA_PLATFORM": "offscreen"}, "linux") is None
    assert no_display_message({}, "win32") is None
    assert no_display_message({}, "darwin") is None


def test_main_without_display_returns_2_before_touching_qt_or_files(monkeypatch, tmp_path, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert app_module.main(["--db", str(tmp_path / "x.sqlite")]) == EXIT_NO_DISPLAY
    assert "QT_QPA_PLATFORM=offscreen" in capsys.readouterr().err
    assert not (tmp_path / "x.sqlite").exists()
    assert not (Path(os.environ["HEALTHDESK_HOME"]) / "logs").exists()


@pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="only X11/Wayland systems can lack a display"
)
def test_main_without_display_in_a_fresh_process_never_creates_a_qapplication(tmp_path):
    code = (
        "import sys; from desktop.app import main; rc = main(['--db', 'nowhere.sqlite']); "
        "sys.stdout.write(str(sorted(m for m in sys.modules if m.startswith('PySide6')))); sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(HEALTHDESK_HOME=str(tmp_path)), capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == "[]"  # Qt was not even imported
    assert "xvfb-run" in result.stderr
    assert "Traceback" not in result.stderr


# --- errors: formatting, dialog, hooks ------------------------------------------------------------------


def test_error_report_has_a_summary_and_full_details(tmp_path):
    exc_type, exc, tb = _raise_and_catch()
    summary, details = format_error_report(
        exc_type, exc, tb, log_path=tmp_path / "a.log", thread_name="worker"
    )
    assert summary == "ValueError: 数值错误：第 3 行"
    assert "Traceback (most recent call last)" in details
    assert "_raise_and_catch" in details
    assert "0.1.0" in details
    assert str(tmp_path / "a.log") in details
    assert "线程：worker" in details


def test_error_dialog_shows_message_log_path_and_expandable_details(qtbot, tmp_path):
    exc_type, exc, tb = _raise_and_catch()
    summary, details = format_error_report(exc_type, exc, tb)
    dialog = ErrorDialog(summary, details, tmp_path / "healthdesk.log")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "出现了意外错误"
    assert str(tmp_path / "healthdesk.log") in dialog.log_label.text()
    assert dialog.summary_label.text() == summary
    assert not dialog.details_view.isVisible()
    dialog.details_button.setChecked(True)
    assert dialog.details_view.isVisible()
    assert dialog.details_view.toPlainText() == details
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == details
    assert dialog.copy_button.text() == "已复制"


def test_excepthook_logs_the_traceback_and_reports_it(log_file, restore_hooks):
    reports = []
    install_excepthooks(log_file, lambda summary, details: reports.append((summary, details)))
    sys.excepthook(*_raise_and_catch())
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "uncaught exception" in text
    assert "数值错误：第 3 行" in text and "Traceback" in text
    assert reports[0][0] == "ValueError: 数值错误：第 3 行"
    assert str(log_file) in reports[0][1]


def test_thread_excepthook_reports_with_the_thread_name(log_file, restore_hooks):
    reports = []
    install_excepthooks(log_file, lambda summary, details: reports.append((summary, details)))

    def boom():
        raise RuntimeError("后台任务失败")

    worker = threading.Thread(target=boom, name="导入线程")
    worker.start()
    worker.join()
    assert reports and reports[0][0] == "RuntimeError: 后台任务失败"
    assert "线程：导入线程" in reports[0][1]


def test_excepthook_without_a_window_writes_one_line_not_a_traceback(log_file, restore_hooks, capsys):
    install_excepthooks(log_file)
    sys.excepthook(*_raise_and_catch())
    err = capsys.readouterr().err
    assert err.startswith("出现意外错误：ValueError")
    assert "Traceback" not in err and str(log_file) in err


def test_error_reporter_shows_one_dialog_for_errors_from_any_thread(qtbot, tmp_path):
    reporter = ErrorReporter(tmp_path / "healthdesk.log")
    worker = threading.Thread(target=reporter.report, args=("RuntimeError: x", "details"))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    reporter.report("RuntimeError: again", "details")  # while one is open: logged, not stacked
    assert reporter.suppressed == 1
    with qtbot.waitSignal(reporter.dialog.destroyed):
        reporter.dialog.reject()
    assert reporter.dialog is None


def test_database_open_error_dialog_offers_another_file_or_quit(qtbot, tmp_path):
    path = tmp_path / "broken.sqlite"
    dialog = DatabaseOpenErrorDialog("文件“x”不是数据库文件（也可能已损坏）。", path)
    qtbot.addWidget(dialog)
    assert "不是数据库文件" in dialog.informativeText()
    assert str(path) in dialog.informativeText()
    assert dialog.choice() == DatabaseOpenErrorDialog.QUIT  # closing the box means quit
    dialog.show()
    dialog.pick_button.click()
    assert dialog.choice() == DatabaseOpenErrorDialog.PICK


# --- single instance ------------------------------------------------------------------------------------


def test_lock_is_per_database_and_exclusive(tmp_path):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert lock_file_path(a) != lock_file_path(b)
    assert lock_file_path(a).parent.parent == Path(os.environ["HEALTHDESK_HOME"])
    first = acquire_lock(a)
    assert first is not None
    other = acquire_lock(b)
    assert other is not None  # another database may be open in another window
    script = (
        f"import sys; from desktop.app import acquire_lock; sys.exit(0 if acquire_lock({str(a)!r}) else 3)"
    )
    held = subprocess.run([sys.executable, "-c", script], env=_env(QT_QPA_PLATFORM="offscreen"))
    assert held.returncode == 3
    first.unlock()
    free = subprocess.run([sys.executable, "-c", script], env=_env(QT_QPA_PLATFORM="offscreen"))
    assert free.returncode == 0
    other.unlock()


# --- the whole program, in a fresh process --------------------------------------------------------------


def test_startup_probe_opens_the_window_and_reports_the_time(sample_db_path, tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "desktop",
            "--db",
            str(sample_db_path),
            "--quit-after-shown",
            "--t0",
            str(time.time()),
        ],
        env=_env(QT_QPA_PLATFORM="offscreen", HEALTHDESK_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("startup_ms=")
    assert 0 < float(result.stdout.split("=")[1]) < 60_000
    log_text = (tmp_path / "logs" / "healthdesk.log").read_text(encoding="utf-8")
    assert "opened database" in log_text


def test_a_missing_database_gives_a_clear_message_not_a_traceback(tmp_path):
    missing = tmp_path / "nope.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--db", str(missing), "--quit-after-shown"],
        env=_env(QT_QPA_PLATFORM="offscreen", HEALTHDESK_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "找不到数据库文件" in result.stderr
    assert "Traceback" not in result.stderr
    assert not missing.exists()


def test_screenshot_command_writes_pngs(sample_db_path, tmp_path):
    out = tmp_path / "shots"
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "screenshot", "--db", str(sample_db_path), "--out", str(out)],
        env=_env(HEALTHDESK_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert (out / "main.png").stat().st_size > 10_000
    assert str(out / "main.png") in result.stdout


def test_many_qt_calls_do_not_exhaust_none(tmp_path):
    """Guards the pin in pyproject.toml: PySide6 6.12.0 drops a reference to None per void call, which aborts
    Python 3.11 after a few thousand calls ("deallocating None")."""
    code = (
        "import desktop.ui\n"
        "from PySide6.QtWidgets import QApplication, QLineEdit\n"
        "app = QApplication([]); edit = QLineEdit()\n"
        "for _ in range(50_000): edit.setText('x'); edit.update()\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=_env(QT_QPA_PLATFORM="offscreen"), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.strip() == "ok"


def test_open_database_menu_switches_files_and_moves_the_lock(
    qtbot, sample_db_path, plain_db_path, _bundled_font
):
    from desktop.app import _Session, _switch_database
    from desktop.ui.main_window import MainWindow

    session = _Session()
    assert session.open(sample_db_path, default=False, interactive=False)
    window = MainWindow(session.conn, session.db_path)
    qtbot.addWidget(window)
    try:
        assert acquire_lock(sample_db_path) is None  # held by the session
        _switch_database(session, window, str(plain_db_path))
        assert window.db_path == plain_db_path and session.db_path == plain_db_path
        assert not window.is_demo
        old = acquire_lock(sample_db_path)
        assert old is not None  # released when the window moved on
        old.unlock()
        assert acquire_lock(plain_db_path) is None
        _switch_database(session, window, str(plain_db_path))  # the same file again: nothing happens
        assert session.db_path == plain_db_path
    finally:
        window.close()
        session.close()


def test_session_refuses_a_database_another_instance_holds(sample_db_path, capsys):
    from desktop.app import _Session

    held = acquire_lock(sample_db_path)
    try:
        assert not _Session().open(sample_db_path, default=False, interactive=False)
        assert "程序已在运行" in capsys.readouterr().err
    finally:
        held.unlock()


def test_first_start_creates_the_default_database_with_the_demo_county(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--quit-after-shown"],
        env=_env(QT_QPA_PLATFORM="offscreen", HEALTHDESK_HOME=str(tmp_path)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("startup_ms=")
    from desktop.store.db import connect, get_setting

    conn = connect(tmp_path / "healthdesk.sqlite")
    try:
        assert get_setting(conn, "demo") == "1"
    finally:
        conn.close()


def test_missing_x11_libraries_are_named_with_their_packages():
    from desktop.app import missing_qt_libraries_message

    env = {"DISPLAY": ":0"}
    message = missing_qt_libraries_message(env, "linux", can_load=lambda lib: lib != "libxcb-cursor.so.0")
    assert message is not None and "sudo apt-get install libxcb-cursor0" in message
    assert missing_qt_libraries_message(env, "linux", can_load=lambda lib: True) is None
    # Not X11: Windows, Wayland, or an explicit other platform plugin such as offscreen.
    assert missing_qt_libraries_message(env, "win32", can_load=lambda lib: False) is None
    assert missing_qt_libraries_message({"WAYLAND_DISPLAY": "w"}, "linux", can_load=lambda lib: False) is None
    assert (
        missing_qt_libraries_message({"QT_QPA_PLATFORM": "offscreen"}, "linux", can_load=lambda lib: False)
        is None
    )
