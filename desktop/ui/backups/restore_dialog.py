"""Restoring the database from a backup: the list of backups (time, kind, size), and restore after a clear
question. The current data are backed up first (desktop.ops.backups.restore_backup), so a restore can itself
be undone from the same list.

The work runs on a thread of its own, not the task runner: the runner opens the database before each task, and
a damaged database — one reason to be here — cannot be opened. After a restore the dialog emits restored(path);
the main window then reopens the database (which migrates a backup taken by an older version).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core import paths
from desktop.ops.backups import BackupError, BackupInfo, backup_now, list_backups, restore_backup
from desktop.ui.backups.backup_model import BackupTableModel

_BANNER = {
    "ok": "background: #e5f3e8; color: #1e5b2e; border: 1px solid #b9dcc2;",
    "error": "background: #fde8e6; color: #8a1f15; border: 1px solid #f1bcb6;",
}


class _Bridge(QObject):
    finished = Signal(object)
    failed = Signal(object)


class RestoreDialog(QDialog):
    """Lists the backups of db_path; restores one. Emits restored(Path of the database) afterwards."""

    restored = Signal(Path)
    backed_up = Signal(Path)

    def __init__(self, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db_path = Path(db_path)
        self._busy = False
        self._progress: QProgressDialog | None = None
        self._threads: list[threading.Thread] = []
        self._bridges: list[_Bridge] = []
        self.model = BackupTableModel(self)
        self._build()
        self.refresh()
        self.resize(860, 520)

    def _build(self) -> None:
        self.setWindowTitle(self.tr("从备份恢复"))
        folder = paths.backups_dir_for(self._db_path)
        intro = QLabel(
            self.tr(
                "程序每天自动备份一次，导入数据前也会自动备份。恢复时，当前数据会先另存为“恢复前”备份，"
                "随时可以再恢复回来。"
            )
        )
        intro.setWordWrap(True)
        self.folder_label = QLabel(self.tr("备份文件夹：%1").replace("%1", str(folder)))
        self.folder_label.setStyleSheet("color: #555555;")
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table_view = QTableView()
        self.table_view.setModel(self.model)
        self.table_view.setAccessibleName(self.tr("备份列表"))
        self.table_view.setAlternatingRowColors(True)
        self.table_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table_view.setTabKeyNavigation(False)
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table_view.setStyleSheet("QTableView { gridline-color: #e1e4e8; }")
        header = self.table_view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        char = self.fontMetrics().horizontalAdvance("中")
        for column, chars in ((0, 11), (1, 8), (2, 5)):
            header.resizeSection(column, chars * char + 16)
        header.setSectionResizeMode(BackupTableModel.COL_FILE, QHeaderView.ResizeMode.Stretch)
        self.table_view.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table_view.activated.connect(lambda _index: self.restore_selected())

        self.empty_label = QLabel(self.tr("还没有备份。点“立即备份”可以马上备份当前数据。"))
        self.empty_label.setStyleSheet("color: #555555;")

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.backup_button = QPushButton(self.tr("立即备份(&B)"))
        self.folder_button = QPushButton(self.tr("打开备份文件夹"))
        self.other_button = QPushButton(self.tr("选择其他备份文件(&F)…"))
        self.restore_button = QPushButton(self.tr("恢复所选备份(&R)…"))
        self.close_button = QPushButton(self.tr("关闭"))
        self.backup_button.clicked.connect(self.backup_now)
        self.folder_button.clicked.connect(self._open_folder)
        self.other_button.clicked.connect(self._choose_other)
        self.restore_button.clicked.connect(self.restore_selected)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.other_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table_view, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)

    # --- public API --------------------------------------------------------------------------------------

    def refresh(self) -> None:
        backups = list_backups(self._db_path)
        self.model.load(backups)
        self.empty_label.setVisible(not backups)
        if backups:
            self.table_view.setCurrentIndex(self.model.index(0, 0))
        self._update_buttons()

    def selected_backup(self) -> BackupInfo | None:
        index = self.table_view.currentIndex()
        return self.model.backup_at(index.row()) if index.isValid() else None

    def restore_selected(self) -> bool:
        """Ask, then restore the selected backup in the background. Returns whether it was started."""
        backup = self.selected_backup()
        if backup is None or self._busy:
            return False
        when = self.model.data(self.model.index(self.table_view.currentIndex().row(), 0))
        return self._restore(
            backup.path, self.tr("%1 的备份（%2）").replace("%1", when).replace("%2", backup.label)
        )

    def restore_file(self, path: Path | str) -> bool:
        """Ask, then restore from a backup file chosen elsewhere (a USB stick, another folder)."""
        return self._restore(Path(path), self.tr("文件“%1”").replace("%1", Path(path).name))

    def backup_now(self) -> None:
        if self._busy:
            return
        self._run(
            lambda: backup_now(self._db_path),
            self.tr("正在备份…"),
            self._backed_up,
        )

    def wait_idle(self, timeout_s: float = 30.0) -> bool:
        """For tests and closing: wait for the background work and deliver its result."""
        from PySide6.QtCore import QCoreApplication, QDeadlineTimer

        deadline = QDeadlineTimer(int(timeout_s * 1000))
        while self._busy and not deadline.hasExpired():
            QCoreApplication.processEvents()
            for thread in self._threads:
                thread.join(0.005)
        return not self._busy

    def reject(self) -> None:
        # Closing half-way through a restore would leave the user not knowing whether it happened.
        if not self._busy:
            super().reject()

    def closeEvent(self, event) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    # --- internals ---------------------------------------------------------------------------------------

    def _confirm(self, what: str) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("从备份恢复"),
            self.tr(
                "确定用%1替换当前数据吗？\n\n当前数据会先另存为“恢复前”备份，"
                "如有需要可以再恢复回来。恢复后将重新打开数据库。"
            ).replace("%1", what),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _restore(self, backup_path: Path, what: str) -> bool:
        if self._busy or not self._confirm(what):
            return False
        self._run(lambda: restore_backup(self._db_path, backup_path), self.tr("正在恢复…"), self._restored)
        return True

    def _run(self, work: Callable[[], Any], label: str, on_done: Callable[[Any], None]) -> None:
        self._busy = True
        self._update_buttons()
        self.banner.hide()
        # No parent; kept until the next run, so it is alive when its queued result is delivered (and is not
        # deleted from inside its own signal).
        bridge = _Bridge()
        self._bridges = [bridge]
        bridge.finished.connect(
            lambda result: self._finish(bridge, on_done, result), Qt.ConnectionType.QueuedConnection
        )
        bridge.failed.connect(lambda error: self._fail(bridge, error), Qt.ConnectionType.QueuedConnection)
        # A restore cannot be stopped half-way (it is one transaction), so the dialog offers no Cancel.
        self._progress = QProgressDialog(label, "", 0, 0, self)
        self._progress.setCancelButton(None)
        self._progress.setWindowTitle(self.windowTitle())
        self._progress.setWindowModality(Qt.WindowModality.WindowModal)
        self._progress.setMinimumDuration(600)

        def target() -> None:
            try:
                result = work()
            except BaseException as exc:  # handed to the GUI thread, never lost here
                bridge.failed.emit(exc)
            else:
                bridge.finished.emit(result)

        thread = threading.Thread(target=target, name="healthdesk-restore", daemon=True)
        self._threads.append(thread)
        thread.start()

    def _end(self, _bridge: _Bridge) -> None:
        self._busy = False
        if self._progress is not None:
            self._progress.reset()
            self._progress.deleteLater()
            self._progress = None
        self._threads = [t for t in self._threads if t.is_alive()]

    def _finish(self, bridge: _Bridge, on_done: Callable[[Any], None], result: Any) -> None:
        self._end(bridge)
        on_done(result)

    def _fail(self, bridge: _Bridge, error: BaseException) -> None:
        self._end(bridge)
        self.refresh()
        if isinstance(error, BackupError):
            self._set_banner("error", error.message)
            return
        raise error

    def _restored(self, result) -> None:
        self.refresh()
        text = self.tr("已从“%1”恢复数据。").replace("%1", result.restored_from.name)
        if result.safety_backup is not None:
            text += self.tr("恢复前的数据已备份为“%1”。").replace("%1", result.safety_backup.name)
        if result.damaged_moved:
            text += self.tr("原来已损坏的数据库文件已移到备份文件夹（%1）。").replace(
                "%1", "、".join(p.name for p in result.damaged_moved)
            )
        self._set_banner("ok", text)
        self.restored.emit(self._db_path)

    def _backed_up(self, path: Path) -> None:
        self.refresh()
        self._set_banner("ok", self.tr("已备份为“%1”。").replace("%1", path.name))
        self.backed_up.emit(path)

    def _set_banner(self, tone: str, text: str) -> None:
        self.banner.setStyleSheet(f"QLabel {{ {_BANNER[tone]} padding: 8px; border-radius: 3px; }}")
        self.banner.setText(text)
        self.banner.show()

    def _update_buttons(self, *_args) -> None:
        self.restore_button.setEnabled(not self._busy and self.selected_backup() is not None)
        for button in (self.backup_button, self.other_button):
            button.setEnabled(not self._busy)

    def _open_folder(self) -> None:
        folder = paths.backups_dir_for(self._db_path)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    def _choose_other(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("选择备份文件"),
            str(paths.backups_dir_for(self._db_path)),
            self.tr("数据库文件 (*.sqlite *.db);;所有文件 (*)"),
        )
        if path:
            self.restore_file(path)
