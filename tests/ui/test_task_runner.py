"""The task runner: work happens off the GUI thread, results come back on it, Cancel rolls back."""

from __future__ import annotations

import threading
import time

import pytest

from desktop.ops.progress import Progress
from desktop.store import db as store_db
from desktop.ui.task_runner import TaskRunner


@pytest.fixture
def runner(qtbot, db_path):
    runner = TaskRunner(db_path)
    yield runner
    runner.shutdown()


def test_result_is_delivered_on_the_gui_thread(runner, qtbot):
    seen = {}

    def task(conn, progress: Progress):
        seen["worker"] = threading.current_thread() is not threading.main_thread()
        progress.step(1, 2, "一半")
        return conn.execute("SELECT count(*) FROM org_unit_type").fetchone()[0]

    def done(result):
        seen["result"] = result
        seen["gui"] = threading.current_thread() is threading.main_thread()

    handle = runner.run(task, title="测试", on_done=done)
    with qtbot.waitSignal(handle.done, timeout=5000):
        pass
    assert seen == {"worker": True, "result": 17, "gui": True}


def test_cancel_rolls_back_the_task_transaction(runner, qtbot, db):
    started = threading.Event()
    cancelled = []

    def task(conn, progress: Progress):
        with store_db.atomic(conn):
            store_db.set_setting(conn, "half", "written")
            started.set()
            for i in range(200):
                time.sleep(0.01)
                progress.step(i, 200, "处理中")
        return "finished"

    handle = runner.run(task, title="长任务", on_cancelled=lambda: cancelled.append(True))
    assert started.wait(5)
    handle.cancel()
    with qtbot.waitSignal(handle.done, timeout=5000):
        pass
    assert handle.cancelled and cancelled == [True]
    assert store_db.get_setting(db, "half") is None


def test_errors_reach_the_error_callback(runner, qtbot):
    errors = []

    def task(conn, progress):
        raise ValueError("坏数据")

    handle = runner.run(task, title="出错", on_error=errors.append)
    with qtbot.waitSignal(handle.done, timeout=5000):
        pass
    assert isinstance(errors[0], ValueError) and str(errors[0]) == "坏数据"


def test_slow_task_shows_a_progress_dialog_with_cancel(runner, qtbot):
    from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

    def task(conn, progress):
        for i in range(100):
            time.sleep(0.01)
            progress.step(i, 100, "慢慢来")
        return True

    handle = runner.run(task, title="慢任务")
    qtbot.waitUntil(
        lambda: any(isinstance(w, QProgressDialog) and w.isVisible() for w in QApplication.topLevelWidgets()),
        timeout=3000,
    )
    dialog = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog) and w.isVisible()
    )
    assert dialog.labelText() in ("慢慢来", "慢任务")
    dialog.findChild(QPushButton).click()  # what the user does: press 取消
    with qtbot.waitSignal(handle.done, timeout=5000):
        pass
    assert handle.cancelled


def test_a_task_is_done_as_soon_as_its_result_is_delivered(runner, qtbot, monkeypatch):
    # The worker emits the result before it closes its connection. A page (or a test) asking handle.is_done
    # from on_done used to get False while that close was still running.
    import desktop.ui.task_runner as task_runner

    real_connect = task_runner.connect

    class SlowToClose:
        def __init__(self, path):
            self._conn = real_connect(path)

        def __getattr__(self, name):
            return getattr(self._conn, name)

        def close(self):
            time.sleep(0.3)
            self._conn.close()

    monkeypatch.setattr(task_runner, "connect", SlowToClose)
    seen = []
    handle = runner.run(
        lambda conn, progress: 42, title="测试", on_done=lambda r: seen.append(handle.is_done)
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=5000)
    assert seen == [True]


def test_a_refusal_is_logged_as_information_not_as_a_fault(runner, qtbot, caplog):
    from desktop.core.value_rules import ValueRefused

    def task(conn, progress):
        raise ValueRefused("“床位数”必须是整数")

    errors = []
    with caplog.at_level("INFO", logger="desktop.ui.task_runner"):
        handle = runner.run(task, title="保存", on_error=errors.append)
        with qtbot.waitSignal(handle.done, timeout=5000):
            pass
    assert isinstance(errors[0], ValueRefused)
    records = [r for r in caplog.records if r.name == "desktop.ui.task_runner"]
    assert records and all(r.levelname == "INFO" and r.exc_info is None for r in records)
