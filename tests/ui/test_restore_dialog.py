"""The restore dialog: lists backups (time, kind, size), restores after a question, refuses bad files."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.ops import backups
from desktop.store.db import get_setting, set_setting
from desktop.ui.backups.backup_model import BackupTableModel
from desktop.ui.backups.restore_dialog import RestoreDialog

NOW = datetime(2025, 3, 10, 9, 30, 0)


@pytest.fixture
def dialog(qtbot, db, db_path, _bundled_font):
    set_setting(db, "probe", "old")
    backups.make_backup(db, db_path, backups.DAILY, now=NOW - timedelta(days=1))
    set_setting(db, "probe", "newer")
    backups.make_backup(db, db_path, backups.BEFORE_IMPORT, now=NOW)
    set_setting(db, "probe", "current")
    widget = RestoreDialog(db_path)
    qtbot.addWidget(widget)
    return widget


def _answer(monkeypatch, button):
    asked = []

    def question(*args, **kwargs):
        asked.append(args[2])
        return button

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


@pytest.mark.qt_log_level_fail("WARNING")
def test_model_passes_qtmodeltester(qtmodeltester, dialog):
    qtmodeltester.check(dialog.model, force_py=True)


def test_backups_are_listed_newest_first_with_kind_and_size(dialog):
    model = dialog.model
    assert model.rowCount() == 2
    first = [model.data(model.index(0, c)) for c in range(model.columnCount())]
    assert first[BackupTableModel.COL_TIME] == "2025-03-10 09:30:00"
    assert first[BackupTableModel.COL_REASON] == "导入前自动备份"
    assert first[BackupTableModel.COL_SIZE].endswith(("KB", "kB", "MB"))
    assert first[BackupTableModel.COL_FILE] == "test-20250310-093000-导入前.sqlite"
    assert dialog.restore_button.isEnabled() and not dialog.empty_label.isVisibleTo(dialog)


def test_restore_asks_first_and_does_nothing_on_no(dialog, db, monkeypatch):
    asked = _answer(monkeypatch, QMessageBox.StandardButton.No)
    assert not dialog.restore_selected()
    assert "2025-03-10 09:30:00 的备份（导入前自动备份）" in asked[0]
    assert get_setting(db, "probe") == "current"


def test_restore_replaces_the_data_and_emits_restored(qtbot, dialog, db, db_path, monkeypatch):
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    dialog.table_view.setCurrentIndex(dialog.model.index(1, 0))  # the older, daily one
    with qtbot.waitSignal(dialog.restored, timeout=10_000) as signal:
        assert dialog.restore_selected()
    assert signal.args == [db_path]
    assert get_setting(db, "probe") == "old"
    assert "恢复前的数据已备份为" in dialog.banner.text()
    reasons = [dialog.model.backup_at(r).reason for r in range(dialog.model.rowCount())]
    assert backups.BEFORE_RESTORE in reasons
    # And the restore can be undone from the same list.
    row = reasons.index(backups.BEFORE_RESTORE)
    dialog.table_view.setCurrentIndex(dialog.model.index(row, 0))
    with qtbot.waitSignal(dialog.restored, timeout=10_000):
        dialog.restore_selected()
    assert get_setting(db, "probe") == "current"


def test_a_file_that_is_not_a_backup_is_refused_with_a_message(qtbot, dialog, db, tmp_path, monkeypatch):
    _answer(monkeypatch, QMessageBox.StandardButton.Yes)
    fake = tmp_path / "照片.sqlite"
    fake.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    restored = []
    dialog.restored.connect(restored.append)
    assert dialog.restore_file(fake)
    assert dialog.wait_idle()
    assert "不能用于恢复" in dialog.banner.text() and "照片.sqlite" in dialog.banner.text()
    assert restored == [] and get_setting(db, "probe") == "current"


def test_backup_now_adds_a_manual_backup(qtbot, dialog):
    with qtbot.waitSignal(dialog.backed_up, timeout=10_000):
        dialog.backup_now()
    assert dialog.model.backup_at(0).reason == backups.MANUAL
    assert "已备份为" in dialog.banner.text()


def test_empty_list_explains_what_to_do(qtbot, db_path, _bundled_font):
    widget = RestoreDialog(db_path)
    qtbot.addWidget(widget)
    assert widget.model.rowCount() == 0 and not widget.restore_button.isEnabled()
    assert widget.empty_label.isVisibleTo(widget)
