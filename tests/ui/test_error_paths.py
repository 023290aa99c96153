"""An exception where a clerk meets it: raised in a slot (a button's handler) or in a background task. The
program's hooks turn it into the error dialog (summary, details, log path), never a traceback on a console."""

from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtWidgets import QPushButton

from desktop.app import install_excepthooks
from desktop.ui.error_reporter import ErrorReporter
from desktop.ui.task_runner import TaskRunner


@pytest.fixture
def reporter(qtbot, tmp_path, monkeypatch):
    """The program's hooks, as desktop.app.main installs them, for one test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    reporter = ErrorReporter(tmp_path / "healthdesk.log")
    install_excepthooks(tmp_path / "healthdesk.log", reporter.report)
    yield reporter
    if reporter.dialog is not None:
        reporter.dialog.close()


@pytest.mark.qt_no_exception_capture  # the program's own hook must see it, not pytest-qt's
def test_an_exception_in_a_slot_shows_the_error_dialog(qtbot, reporter):
    button = QPushButton("导入")
    qtbot.addWidget(button)

    def handler() -> None:
        raise ValueError("第 3 行数值无效")

    button.clicked.connect(handler)
    button.click()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    dialog = reporter.dialog
    assert dialog.windowTitle() == "出现了意外错误"
    assert dialog.summary_label.text() == "ValueError: 第 3 行数值无效"
    assert "handler" in dialog.details and "healthdesk.log" in dialog.log_label.text()


@pytest.mark.qt_no_exception_capture
def test_a_failed_background_task_shows_the_error_dialog(qtbot, reporter, db_path):
    runner = TaskRunner(db_path)

    def task(conn, progress):
        raise RuntimeError("后台任务失败")

    runner.run(
        task, title="测试任务", show_progress=False
    )  # no on_error: the runner re-raises on the GUI thread
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog.summary_label.text() == "RuntimeError: 后台任务失败"
    assert "in task" in reporter.dialog.details  # the worker's own frame, not only the re-raise
    runner.shutdown()


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_plain_thread_shows_the_error_dialog(qtbot, reporter):
    worker = threading.Thread(target=lambda: 1 / 0, name="导出线程")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible())
    assert reporter.dialog.summary_label.text().startswith("ZeroDivisionError")
    assert "线程：导出线程" in reporter.dialog.details
