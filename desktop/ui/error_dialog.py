"""What the user sees instead of a traceback: a calm Chinese message, details on request, the log file's path.

The program's exception hooks talk to desktop.ui.error_reporter.ErrorReporter, which imports this module only
when the first error is shown (its widgets' enums cost tens of milliseconds at start-up).
"""

from __future__ import annotations

import logging
import platform
import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_NAME, APP_SHORT_NAME_ZH, __version__
from desktop.core import paths

log = logging.getLogger(__name__)


def format_error_report(
    exc_type: type[BaseException],
    exc: BaseException | None,
    tb: TracebackType | None,
    *,
    log_path: Path | None = None,
    thread_name: str | None = None,
) -> tuple[str, str]:
    """(summary, details) for an unexpected exception: a one-line summary and a report to copy and send."""
    message = str(exc).strip() if exc is not None else ""
    summary = f"{exc_type.__name__}: {message}" if message else exc_type.__name__
    header = [
        f"{APP_NAME} {__version__}",
        f"时间：{datetime.now().isoformat(sep=' ', timespec='seconds')}",
        f"系统：{platform.platform()}；Python {platform.python_version()}",
    ]
    if thread_name:
        header.append(f"线程：{thread_name}")
    if log_path is not None:
        header.append(f"日志文件：{log_path}")
    details = "\n".join(header) + "\n\n" + "".join(traceback.format_exception(exc_type, exc, tb)).rstrip()
    return summary, details


class ErrorDialog(QDialog):
    """'出现了意外错误…' with a 详细信息 expander, a copy button and the log file path."""

    def __init__(self, summary: str, details: str, log_path: Path | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("出现了意外错误"))
        self.setMinimumWidth(520)
        self._details = details

        icon = QLabel()
        icon.setPixmap(self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        text = QLabel(
            self.tr(
                "出现了意外错误，刚才的操作可能没有完成。已保存的数据不受影响。\n"
                "如果问题反复出现，请点击“复制详细信息”，把内容发给维护人员。"
            )
        )
        text.setWordWrap(True)
        self.summary_label = QLabel(summary)
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setStyleSheet("color: #6b6b6b;")
        log_text = str(log_path) if log_path is not None else self.tr("（未能写入日志文件）")
        self.log_label = QLabel(self.tr("日志文件：%1").replace("%1", log_text))
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.details_button = QToolButton()
        self.details_button.setText(self.tr("详细信息"))
        self.details_button.setCheckable(True)
        self.details_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_button.setArrowType(Qt.ArrowType.RightArrow)
        self.details_button.setAutoRaise(True)
        self.details_button.toggled.connect(self._toggle_details)

        self.details_view = QPlainTextEdit(details)
        self.details_view.setReadOnly(True)
        self.details_view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details_view.setMinimumHeight(200)
        self.details_view.setVisible(False)

        buttons = QDialogButtonBox()
        self.copy_button = QPushButton(self.tr("复制详细信息"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("关闭"))
        close.setDefault(True)
        buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(icon)
        column = QVBoxLayout()
        column.addWidget(text)
        column.addWidget(self.summary_label)
        column.addWidget(self.log_label)
        top.addLayout(column, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.details_view, 1)
        layout.addWidget(buttons)

    @property
    def details(self) -> str:
        return self._details

    def _toggle_details(self, shown: bool) -> None:
        self.details_button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.details_view.setVisible(shown)
        self.adjustSize()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self._details)
        self.copy_button.setText(self.tr("已复制"))


class DatabaseOpenErrorDialog(QMessageBox):
    """A database file could not be opened: say why (the store's Chinese message) and offer a way out —
    restore it from a backup (when it is damaged), choose another file, or quit."""

    PICK = "pick"
    RESTORE = "restore"
    QUIT = "quit"

    def __init__(
        self, message: str, path: Path | None, parent: QWidget | None = None, *, can_restore: bool = False
    ) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Warning)
        self.setWindowTitle(self.tr("无法打开数据库"))
        self.setText(self.tr("无法打开数据库文件。"))
        info = message
        if path is not None and str(path) not in message:
            info += "\n\n" + self.tr("文件：%1").replace("%1", str(path))
        if can_restore:
            hint = self.tr("可以从备份恢复这个文件，选择另一个数据库文件，或者退出程序。")
        else:
            hint = self.tr("可以选择另一个数据库文件，或者退出程序。")
        self.setInformativeText(info + "\n\n" + hint)
        self.restore_button = None
        if can_restore:
            # A damaged file is exactly what the backups are for; the main window (and its 备份与恢复 menu)
            # cannot open until the file is readable again, so the way to the backups starts here.
            self.restore_button = self.addButton(self.tr("从备份恢复…"), QMessageBox.ButtonRole.AcceptRole)
        self.pick_button = self.addButton(self.tr("选择其他文件…"), QMessageBox.ButtonRole.AcceptRole)
        self.quit_button = self.addButton(self.tr("退出"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button or self.pick_button)
        self.setEscapeButton(self.quit_button)
        # QMessageBox sizes itself narrow; long Chinese file paths read better on fewer lines.
        self.setStyleSheet("QMessageBox QLabel#qt_msgbox_informativelabel { min-width: 440px; }")

    def choice(self) -> str:
        clicked = self.clickedButton()
        if clicked is not None and clicked is self.restore_button:
            return self.RESTORE
        return self.PICK if clicked is self.pick_button else self.QUIT


def ask_after_open_failure(error, path: Path | None, parent: QWidget | None) -> tuple[str, Path | None]:
    """Show why a database (a store DatabaseError) could not be opened. Returns (choice, file): choice is
    DatabaseOpenErrorDialog.PICK (with the file the user picked), RESTORE or QUIT."""
    from desktop.store.db import DamagedDatabase

    while True:
        dialog = DatabaseOpenErrorDialog(
            error.message, path, parent, can_restore=isinstance(error, DamagedDatabase) and path is not None
        )
        dialog.exec()
        choice = dialog.choice()
        if choice != DatabaseOpenErrorDialog.PICK:
            return choice, None
        start = str(path.parent if path is not None and path.parent.exists() else paths.user_data_dir())
        chosen, _ = QFileDialog.getOpenFileName(
            parent, dialog.tr("选择数据库文件"), start, dialog.tr("数据库文件 (*.sqlite *.db);;所有文件 (*)")
        )
        if chosen:
            return choice, Path(chosen)
        # Cancelling the file picker goes back to the choice, not out of the program.


def restore_from_backup(db_path: Path, parent: QWidget | None) -> bool:
    """The backup list of db_path (a damaged file), to restore one. True if the user did."""
    from desktop.ui.backups.restore_dialog import RestoreDialog

    dialog = RestoreDialog(db_path, parent)
    restored: list[Path] = []
    dialog.restored.connect(restored.append)
    dialog.exec()
    dialog.deleteLater()
    return bool(restored)


def show_cannot_start(parent: QWidget | None, message: str) -> None:
    QMessageBox.critical(parent, APP_SHORT_NAME_ZH, message)


def show_already_running(parent: QWidget | None, db_path: Path) -> None:
    QMessageBox.information(
        parent,
        APP_SHORT_NAME_ZH,
        f"程序已在运行，并且已经打开了这个数据库：\n{db_path}\n\n"
        "请在任务栏中切换到已打开的窗口。同一个数据库同时只能在一个窗口中打开，以免数据冲突。",
    )


def report_to_stderr(summary: str, log_path: Path | None) -> None:
    """Last resort when no window can be shown: one line, never a traceback (stderr is None under pythonw)."""
    if sys.stderr is not None:
        where = f"；详细信息见日志：{log_path}" if log_path else ""
        sys.stderr.write(f"出现意外错误：{summary}{where}\n")
