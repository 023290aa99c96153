"""The composition root: logging, the single-instance lock, the database, the QApplication and the main window.

`main(argv)` takes the arguments after the program name (`--db PATH`, and the benchmark's `--quit-after-shown`
and `--t0 EPOCH`). Qt and everything heavy is imported inside the functions, after the cheap checks, so a
missing display is reported in milliseconds and the window path loads only what the window needs.
Nothing here lets a traceback reach the user: errors are logged to a rotating file and shown in Chinese.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import os
import sys
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from desktop import APP_NAME, APP_NAME_ZH, APP_SHORT_NAME_ZH, __version__
from desktop.core import paths
from desktop.core.logs import setup_file_log

if TYPE_CHECKING:
    import sqlite3

    from PySide6.QtCore import QLockFile
    from PySide6.QtWidgets import QApplication, QWidget

log = logging.getLogger("desktop.app")

LOG_FILE_NAME = "healthdesk.log"
PROBE_ENV = "HEALTHDESK_STARTUP_PROBE"
EXIT_OK, EXIT_ERROR, EXIT_NO_DISPLAY = 0, 1, 2

# When this module was imported: the probe's clock when the benchmark passes no --t0.
_IMPORTED_AT = time.time()

NO_DISPLAY_MESSAGE = """\
没有找到图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开主窗口。
如在服务器或终端中运行，可以使用离屏模式：
    QT_QPA_PLATFORM=offscreen healthdesk …
或在虚拟显示器中运行：
    xvfb-run healthdesk …

No graphical display found (DISPLAY and WAYLAND_DISPLAY are not set), so the main window cannot open.
To run without a screen use the off-screen platform:
    QT_QPA_PLATFORM=offscreen healthdesk …
or run it under a virtual display:
    xvfb-run healthdesk …
"""


# --- small pieces, each testable without Qt ---------------------------------------------------------------


def no_display_message(env: Mapping[str, str], platform: str) -> str | None:
    """The message to print when Qt would have no display to open, else None.

    Only X11/Wayland systems can lack one; Windows and macOS always have a screen for a desktop program.
    """
    if platform.startswith(("win", "darwin", "cygwin")):
        return None
    if env.get("QT_QPA_PLATFORM") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE


# Libraries Qt's X11 platform plugin loads (libQt6XcbQpa), with the Debian/Ubuntu package of each. A desktop
# Linux usually has them; a minimal one often lacks libxcb-cursor0, and then Qt aborts with a core dump.
XCB_LIBRARIES = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def missing_qt_libraries_message(
    env: Mapping[str, str], platform: str, can_load: Callable[[str], bool] | None = None
) -> str | None:
    """On Linux/X11, the message to print when Qt's xcb plugin would abort for want of system libraries."""
    if not platform.startswith("linux") or env.get("WAYLAND_DISPLAY"):
        return None
    if env.get("QT_QPA_PLATFORM", "xcb").split(":")[0] != "xcb":
        return None
    can_load = can_load or _can_load_library
    missing = [package for library, package in XCB_LIBRARIES.items() if not can_load(library)]
    if not missing:
        return None
    packages = " ".join(missing)
    return (
        f"缺少图形界面所需的系统库，无法打开主窗口。请先安装：\n    sudo apt-get install {packages}\n"
        "（或不开窗口：QT_QPA_PLATFORM=offscreen healthdesk …）\n\n"
        f"System libraries that Qt needs for the window are missing. Install them first:\n"
        f"    sudo apt-get install {packages}\n"
    )


def _can_load_library(name: str) -> bool:
    import ctypes

    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="healthdesk", description=f"{APP_NAME_ZH}（{APP_NAME}）主窗口", add_help=False
    )
    parser.add_argument("--db", type=Path, help="数据库文件（默认：用户数据文件夹中的数据库）")
    parser.add_argument("--quit-after-shown", action="store_true", help="窗口显示后立即退出（测速用）")
    parser.add_argument("--t0", type=float, help="测速起点（Unix 时间戳，秒）")
    return parser


def setup_logging(directory: Path | None = None) -> Path | None:
    """Log to a rotating file in the user's log folder. Returns its path, or None if it cannot be written."""
    return setup_file_log(LOG_FILE_NAME, directory)


def lock_file_path(db_path: Path) -> Path:
    """One lock per database file (by its resolved path), kept in the user's data folder."""
    key = hashlib.sha1(str(Path(db_path).resolve()).lower().encode("utf-8")).hexdigest()[:16]
    return paths.user_data_dir() / "locks" / f"db-{key}.lock"


def install_excepthooks(log_path: Path | None, report: Callable[[str, str], None] | None = None) -> None:
    """Route uncaught exceptions (GUI thread and worker threads) to the log and, if given, to report()."""

    def handle(
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
        thread_name: str | None = None,
    ) -> None:
        log.error("uncaught exception", exc_info=(exc_type, exc, tb))
        if issubclass(exc_type, KeyboardInterrupt):
            return
        try:
            from desktop.ui.error_dialog import format_error_report, report_to_stderr

            summary, details = format_error_report(
                exc_type, exc, tb, log_path=log_path, thread_name=thread_name
            )
            if report is not None:
                report(summary, details)
            else:
                report_to_stderr(summary, log_path)
        except Exception:  # the hook itself must never raise: that would print a traceback after all
            log.exception("error while reporting an error")

    def excepthook(exc_type, exc, tb) -> None:
        handle(exc_type, exc, tb)

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            return
        name = args.thread.name if args.thread is not None else None
        handle(args.exc_type, args.exc_value, args.exc_traceback, name)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def _write_err(text: str) -> None:
    if sys.stderr is not None:  # None under pythonw / a windowed bundle
        sys.stderr.write(text if text.endswith("\n") else text + "\n")


# --- Qt side -----------------------------------------------------------------------------------------------


def create_application(argv0: str) -> QApplication:
    from PySide6.QtWidgets import QApplication

    from desktop.ui.qt_setup import configure_application

    _set_windows_app_id()
    app = QApplication.instance() or QApplication([argv0])
    configure_application(app)
    return app


def _set_windows_app_id() -> None:
    """Group the taskbar button under our own name and icon, not python.exe's."""
    if sys.platform == "win32":
        try:
            import ctypes

            ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(f"{APP_NAME}.{__version__}")
        except (AttributeError, OSError):
            pass


def _install_qt_message_handler() -> None:
    """Qt's own warnings go to the log file, not to a console the user never sees (or sees scrolling)."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    levels = {
        QtMsgType.QtDebugMsg: logging.DEBUG,
        QtMsgType.QtInfoMsg: logging.INFO,
        QtMsgType.QtWarningMsg: logging.WARNING,
        QtMsgType.QtCriticalMsg: logging.ERROR,
        QtMsgType.QtFatalMsg: logging.CRITICAL,
    }
    qt_log = logging.getLogger("qt")

    def handler(msg_type, _context, message) -> None:
        qt_log.log(levels.get(msg_type, logging.WARNING), "%s", message)

    qInstallMessageHandler(handler)


def acquire_lock(db_path: Path) -> QLockFile | None:
    """The single-instance lock for db_path, or None if another running instance holds it.

    Raises DatabaseError (a Chinese message) when the lock cannot even be written, e.g. a user data folder
    without write permission: saying "already running" then would send the clerk looking for a window
    that does not exist.
    """
    from PySide6.QtCore import QLockFile

    path = lock_file_path(db_path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _lock_folder_error(path.parent, exc) from exc
    lock = QLockFile(str(path))
    # 0 = never stale by age: a program left open for days keeps its lock. A crashed instance's lock is still
    # taken over, because QLockFile checks whether the recorded process is alive.
    lock.setStaleLockTime(0)
    if lock.tryLock(100):
        return lock
    if lock.error() == QLockFile.LockError.PermissionError:
        raise _lock_folder_error(path.parent, PermissionError(13, "Permission denied"))
    return None


def _lock_folder_error(folder: Path, exc: OSError) -> Exception:
    from desktop.store.db import DatabaseError, explain_os_error

    return DatabaseError(
        f"无法在用户数据文件夹“{folder}”中写入（{explain_os_error(exc)}），程序无法启动。"
        "请检查这个文件夹的权限，或用环境变量 HEALTHDESK_HOME 指定一个可以写入的文件夹。",
        folder,
    )


def _open_path(db_path: Path, *, default: bool, parent: QWidget | None) -> sqlite3.Connection:
    """Open db_path. The default database is created, with the demo county, on first start."""
    if default and not (db_path.exists() and db_path.stat().st_size > 0):
        # Imported only here: the plan library and demo builders cost ~60 ms to import, every start otherwise.
        from desktop.ops.init_db import open_or_create_default

        return _with_busy_dialog(open_or_create_default, parent).conn
    from desktop.store.migrations import open_database

    return open_database(db_path, create=False).conn


def _with_busy_dialog(task: Callable, parent: QWidget | None):
    """Run a one-off first-start task with a progress dialog, so the user sees why nothing has opened yet."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication, QProgressDialog

    from desktop.ops.progress import Progress

    dialog = QProgressDialog("正在创建数据库和示例县数据，请稍候…", "", 0, 100, parent)
    dialog.setWindowTitle(APP_SHORT_NAME_ZH)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(300)

    def on_report(fraction: float, status: str) -> None:
        dialog.setValue(int(fraction * 100))
        if status:
            dialog.setLabelText(status)
        QApplication.processEvents()

    try:
        return task(progress=Progress(on_report))
    finally:
        dialog.close()
        dialog.deleteLater()


class _Session:
    """What the running program holds: the lock and connection of the open database."""

    def __init__(self) -> None:
        self.lock: QLockFile | None = None
        self.conn: sqlite3.Connection | None = None
        self.db_path: Path | None = None

    def open(self, db_path: Path, *, default: bool, interactive: bool, parent=None) -> bool:
        """Lock and open db_path, offering a restore or another file on failure (if interactive).
        False = give up."""
        from desktop.store.db import DatabaseError

        while True:
            try:
                lock = acquire_lock(db_path)
            except DatabaseError as exc:  # the user data folder cannot be written: another file won't help
                log.error("cannot write the lock file for %s: %s", db_path, exc.message)
                if interactive:
                    from desktop.ui.error_dialog import show_cannot_start

                    show_cannot_start(parent, exc.message)
                else:
                    _write_err(exc.message)
                return False
            if lock is None:
                log.info("database already open in another instance: %s", db_path)
                if interactive:
                    from desktop.ui.error_dialog import show_already_running

                    show_already_running(parent, db_path)
                else:
                    _write_err(f"程序已在运行，并已打开数据库：{db_path}")
                return False
            try:
                conn = _open_path(db_path, default=default, parent=parent)
            except DatabaseError as exc:
                log.warning("cannot open database %s: %s", db_path, exc.message)
                if not interactive:
                    lock.unlock()
                    _write_err(f"无法打开数据库：{exc.message}")
                    return False
                from desktop.ui.error_dialog import (
                    DatabaseOpenErrorDialog,
                    ask_after_open_failure,
                    restore_from_backup,
                )

                # The lock stays held while the user decides, so a restore never races a second instance.
                choice, other = ask_after_open_failure(exc, exc.path or db_path, parent)
                if choice == DatabaseOpenErrorDialog.RESTORE:
                    restore_from_backup(exc.path or db_path, parent)
                    lock.unlock()
                    continue  # try the same file again; if it still fails the dialog says so again
                lock.unlock()
                if other is None:
                    return False
                db_path, default = other, False
                continue
            self.close()
            self.lock, self.conn, self.db_path = lock, conn, db_path
            log.info("opened database %s", db_path)
            return True

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        if self.lock is not None:
            self.lock.unlock()
        self.conn = self.lock = self.db_path = None


def _switch_database(session: _Session, window, path_text: str) -> None:
    """文件 → 打开数据库…: open the chosen file, keep the current one if that fails."""
    from desktop.store.db import DatabaseError
    from desktop.store.migrations import open_database

    new_path = Path(path_text)
    if session.db_path is not None and new_path.resolve() == session.db_path.resolve():
        return
    lock = None
    try:
        lock = acquire_lock(new_path)
        if lock is None:
            from desktop.ui.error_dialog import show_already_running

            show_already_running(window, new_path)
            return
        conn = open_database(new_path, create=False).conn
    except DatabaseError as exc:
        if lock is not None:
            lock.unlock()
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "无法打开数据库", exc.message)
        return
    old_conn, old_lock = session.conn, session.lock
    session.lock, session.conn, session.db_path = lock, conn, new_path
    window.set_database(conn, new_path)
    if old_conn is not None:
        old_conn.close()
    if old_lock is not None:
        old_lock.unlock()
    log.info("switched to database %s", new_path)


def _reopen_database(session: _Session, window) -> None:
    """After a restore from backup: reopen the same file (keeping its lock), migrating an older backup."""
    from desktop.store.db import DatabaseError
    from desktop.store.migrations import open_database

    if session.db_path is None:
        return
    try:
        conn = open_database(session.db_path, create=False).conn
    except DatabaseError as exc:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "无法打开恢复后的数据库", exc.message)
        return
    old = session.conn
    session.conn = conn
    window.set_database(conn, session.db_path)
    if old is not None:
        old.close()
    log.info("reopened %s after a restore", session.db_path)


def _arm_startup_probe(app, window, t0: float) -> None:
    """After the first paint of the window has been processed, print the time since t0 and quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class _FirstPaint(QObject):
        def eventFilter(self, obj, event) -> bool:
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                QTimer.singleShot(0, report)
            return False

    def report() -> None:
        # sys.stdout is None in a windowed bundle: the probe then only checks that start-up works (and logs).
        if sys.stdout is not None:
            sys.stdout.write(f"startup_ms={(time.time() - t0) * 1000:.1f}\n")
            sys.stdout.flush()
        log.info("startup probe: window painted after %.1f ms", (time.time() - t0) * 1000)
        app.quit()

    window._startup_probe = _FirstPaint(window)
    window.installEventFilter(window._startup_probe)


def main(argv: list[str] | None = None) -> int:
    """Open the main window. argv is what follows the program name."""
    argv = sys.argv[1:] if argv is None else list(argv)
    args, _unknown = build_parser().parse_known_args(argv)
    probe = args.quit_after_shown or os.environ.get(PROBE_ENV) == "1"
    t0 = args.t0 if args.t0 is not None else _IMPORTED_AT

    message = no_display_message(os.environ, sys.platform) or missing_qt_libraries_message(
        os.environ, sys.platform
    )
    if message is not None:
        _write_err(message)
        return EXIT_NO_DISPLAY

    log_path = setup_logging()
    log.info("starting %s %s, args %s", APP_NAME, __version__, argv)
    install_excepthooks(log_path)  # before Qt exists: log + one line on stderr
    session = _Session()
    try:
        app = create_application(sys.argv[0] if sys.argv else APP_NAME)
        _install_qt_message_handler()
        from desktop.ui.error_reporter import ErrorReporter

        reporter = ErrorReporter(log_path, app)
        install_excepthooks(log_path, reporter.report)

        db_path = args.db or paths.default_db_path()
        if not session.open(db_path, default=args.db is None, interactive=not probe):
            return EXIT_OK if not probe else EXIT_ERROR

        from desktop.ui.main_window import MainWindow

        window = MainWindow(session.conn, session.db_path)
        window.database_open_requested.connect(lambda path: _switch_database(session, window, path))
        window.database_restored.connect(lambda _path: _reopen_database(session, window))
        if not probe:
            window.schedule_daily_backup()
        if probe:
            _arm_startup_probe(app, window, t0)
        window.show()
        code = app.exec()
        log.info("exiting with code %s", code)
        return int(code)
    except Exception as exc:
        log.exception("startup failed")
        _report_startup_failure(exc, log_path, interactive=not probe)
        return EXIT_ERROR
    finally:
        session.close()
        logging.shutdown()


def _report_startup_failure(exc: BaseException, log_path: Path | None, *, interactive: bool) -> None:
    """An error before the event loop: a dialog if Qt is up (and someone is there), else one line on stderr."""
    try:
        from PySide6.QtWidgets import QApplication

        from desktop.ui.error_dialog import ErrorDialog, format_error_report, report_to_stderr

        summary, details = format_error_report(type(exc), exc, exc.__traceback__, log_path=log_path)
        if QApplication.instance() is None or not interactive:
            report_to_stderr(summary, log_path)
            return
        ErrorDialog(summary, details, log_path).exec()
    except Exception:
        _write_err(f"出现意外错误，程序无法启动。详细信息见日志：{log_path}")


def screenshot_main(argv: list[str]) -> int:
    """`healthdesk screenshot --db PATH --out DIR`: render the main screens to PNG files, off-screen."""
    parser = argparse.ArgumentParser(
        prog="healthdesk screenshot", description="把主要界面渲染为 PNG（无需显示器）"
    )
    parser.add_argument("--db", type=Path, required=True, help="数据库文件")
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    log_path = setup_logging()
    install_excepthooks(log_path)
    from desktop.store.db import DatabaseError

    try:
        create_application(sys.argv[0] if sys.argv else APP_NAME)
        _install_qt_message_handler()
        from desktop.ui.screenshot import render_screens

        written = render_screens(args.db, args.out)
    except DatabaseError as exc:
        _write_err(f"错误：{exc.message}")
        return EXIT_NO_DISPLAY
    except Exception as exc:
        log.exception("screenshot failed")
        _write_err(f"出现意外错误，截图未完成：{exc}。详细信息见日志：{log_path}")
        return EXIT_ERROR
    for path in written:
        sys.stdout.write(f"{path}\n")
    return EXIT_OK
