"""Running ops functions off the GUI thread, with progress and Cancel (the GUI thread never waits).

One background thread does the database work (Anki's taskman habit), each task on its own SQLite connection to
the same file. The task is a plain function `fn(conn, progress) -> result`; it gets a `desktop.ops.progress
.Progress` (Orange3's habit: state, never a widget). Quick work shows nothing; after 300 ms the cursor turns
busy, after 600 ms a progress dialog with Cancel appears (Anki's progress timings). Progress reaches the GUI at
most ~10 times a second.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from desktop.ops.progress import Cancelled, Progress
from desktop.store.db import connect

log = logging.getLogger(__name__)

BUSY_CURSOR_AFTER_MS = 300
DIALOG_AFTER_MS = 600
REPORT_INTERVAL_S = 0.1

TaskFn = Callable[[sqlite3.Connection, Progress], Any]


class _Bridge(QObject):
    """Lives in the GUI thread; signals emitted from the worker are queued to it."""

    progressed = Signal(float, str)
    finished = Signal(object)
    failed = Signal(object)


class TaskHandle(QObject):
    """One running task: its Progress (for Cancel) and, once done, its outcome."""

    done = Signal()

    def __init__(self, title: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.progress = Progress(on_report=self._throttled_report)
        self.bridge = _Bridge()
        self.future: Future | None = None
        self.result: Any = None
        self.error: BaseException | None = None
        self.cancelled = False
        self.delivered = False  # the outcome has reached the GUI thread (set just before `done`)
        self._last_report = 0.0

    def _throttled_report(self, fraction: float, status: str) -> None:
        # Called in the worker thread; drop reports closer than 100 ms apart except the final one.
        now = time.monotonic()
        if fraction < 1.0 and now - self._last_report < REPORT_INTERVAL_S:
            return
        self._last_report = now
        self.bridge.progressed.emit(fraction, status)

    def cancel(self) -> None:
        self.progress.cancel()

    @property
    def is_done(self) -> bool:
        # Done once the outcome is delivered: the worker emits it before closing its connection, so the
        # future alone can still be running for a few milliseconds after on_done has run.
        return self.delivered or (self.future is not None and self.future.done())


class TaskRunner(QObject):
    """Runs one task at a time on a background thread against the database at db_path."""

    def __init__(self, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db_path = Path(db_path)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="healthdesk-db")
        self._parent_widget = parent
        self._active: list[TaskHandle] = []

    def set_database(self, db_path: Path | str) -> None:
        self._db_path = Path(db_path)

    def run(
        self,
        fn: TaskFn,
        *,
        title: str,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_cancelled: Callable[[], None] | None = None,
        show_progress: bool = True,
    ) -> TaskHandle:
        """Start fn(conn, progress) in the background; on_done(result) runs on the GUI thread afterwards.

        Errors go to on_error (default: re-raised on the GUI thread, where the app's error dialog catches them).
        Cancel rolls the task's transaction back (ops functions raise Cancelled inside `atomic`).
        """
        handle = TaskHandle(title, self)
        ui = _ProgressUi(handle, self._parent_widget) if show_progress else None

        def finish() -> None:
            if ui is not None:
                ui.close()
            self._active.remove(handle)
            handle.delivered = True
            handle.done.emit()

        def succeeded(result: Any) -> None:
            handle.result = result
            finish()
            if on_done is not None:
                on_done(result)

        def failed(error: BaseException) -> None:
            handle.error = error
            finish()
            if isinstance(error, Cancelled):
                handle.cancelled = True
                if on_cancelled is not None:
                    on_cancelled()
                return
            if on_error is not None:
                on_error(error)
            else:
                raise error

        handle.bridge.finished.connect(succeeded, Qt.ConnectionType.QueuedConnection)
        handle.bridge.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self._active.append(handle)
        handle.future = self._executor.submit(self._work, fn, handle)
        return handle

    def _work(self, fn: TaskFn, handle: TaskHandle) -> None:
        conn = None
        try:
            conn = connect(self._db_path)
            result = fn(conn, handle.progress)
        except BaseException as exc:  # handed to the GUI thread, never lost in the worker
            if isinstance(exc, Cancelled):
                pass
            elif isinstance(getattr(exc, "message", None), str):
                # A refusal with a message for the user (bad input, a locked return): expected, not a fault.
                log.info("background task %r refused: %s", handle.title, exc.message)
            else:
                log.exception("background task %r failed", handle.title)
            handle.bridge.failed.emit(exc)
        else:
            handle.bridge.finished.emit(result)
        finally:
            if conn is not None:
                conn.close()

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """Process events until no task is running (for tests and for closing the window cleanly)."""
        deadline = time.monotonic() + timeout_s
        while self._active and time.monotonic() < deadline:
            QApplication.processEvents()
            time.sleep(0.005)
        return not self._active

    def shutdown(self) -> None:
        for handle in list(self._active):
            handle.cancel()
        self._executor.shutdown(wait=True)


class _ProgressUi:
    """Busy cursor after 300 ms, a progress dialog with Cancel after 600 ms; nothing for quick tasks."""

    def __init__(self, handle: TaskHandle, parent: QWidget | None) -> None:
        self._handle = handle
        self._parent = parent
        self._dialog: QProgressDialog | None = None
        self._cursor_set = False
        self._fraction, self._status = 0.0, ""
        handle.bridge.progressed.connect(self._on_progress)
        self._closed = False
        QTimer.singleShot(BUSY_CURSOR_AFTER_MS, self._set_cursor)
        QTimer.singleShot(DIALOG_AFTER_MS, self._show_dialog)

    def _on_progress(self, fraction: float, status: str) -> None:
        self._fraction, self._status = fraction, status
        if self._dialog is not None:
            self._dialog.setValue(int(fraction * 1000))
            if status:
                self._dialog.setLabelText(status)

    def _set_cursor(self) -> None:
        if self._closed or self._handle.is_done or self._cursor_set:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        self._cursor_set = True

    def _show_dialog(self) -> None:
        if self._closed or self._handle.is_done:
            return
        dialog = QProgressDialog(self._status or self._handle.title, "取消", 0, 1000, self._parent)
        dialog.setWindowTitle(self._handle.title)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setValue(int(self._fraction * 1000))
        dialog.canceled.connect(self._on_cancel)
        dialog.show()
        self._dialog = dialog

    def _on_cancel(self) -> None:
        self._handle.cancel()
        if self._dialog is not None:
            self._dialog.setLabelText("正在取消…")

    def close(self) -> None:
        self._closed = True  # timers that fire later do nothing
        if self._cursor_set:
            QApplication.restoreOverrideCursor()
            self._cursor_set = False
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self._on_cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None


class LatestRun:
    """A page's recomputation, one at a time: a request made while one runs is remembered and made once, with
    the pickers as they are then, when the running one ends; the outdated result is dropped, never shown.

    The page's recompute() starts with `if self._latest.busy(): return` and ends with self._latest.run(...).
    """

    def __init__(self, runner: TaskRunner, again: Callable[[], None]) -> None:
        self._runner = runner
        self._again = again
        self.running = False
        self._pending = False

    def busy(self) -> bool:
        """True while a computation runs; the request is then remembered and the caller starts nothing."""
        if self.running:
            self._pending = True
        return self.running

    def run(
        self,
        fn: TaskFn,
        *,
        title: str,
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> TaskHandle:
        """Run fn; on_done gets its result unless a newer request is made instead; errors always reach on_error."""

        def done(result: Any) -> None:
            if not self._settle():
                on_done(result)

        def failed(error: BaseException) -> None:
            self._settle()
            on_error(error)

        self.running = True
        return self._runner.run(fn, title=title, on_done=done, on_error=failed, on_cancelled=self._settle)

    def _settle(self) -> bool:
        """Mark the run ended; True if a request made meanwhile has now been started."""
        self.running = False
        if self._pending:
            self._pending = False
            self._again()
            return True
        return False
