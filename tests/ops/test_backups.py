"""Backups: taken with the backup API, rotated, listed, and restored safely (also over a stale -wal)."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import pytest

from desktop.core import paths
from desktop.ops import backups
from desktop.store.db import connect, get_setting, set_setting
from desktop.store.migrations import inspect_file

NOW = datetime(2025, 3, 10, 9, 30, 0)


def _value(path, key="probe"):
    conn = connect(path)
    try:
        return get_setting(conn, key)
    finally:
        conn.close()


def test_backup_if_due_takes_one_a_day(db, db_path):
    first = backups.backup_if_due(db, db_path, now=NOW)
    assert first is not None and first.parent == paths.backups_dir_for(db_path)
    assert first.name == "test-20250310-093000-每日.sqlite"
    assert inspect_file(first)[1] >= 1
    assert not first.with_name(first.name + "-wal").exists()  # a standalone file
    assert backups.backup_if_due(db, db_path, now=NOW + timedelta(hours=23)) is None
    assert backups.backup_if_due(db, db_path, now=NOW + timedelta(hours=24)) is not None


def test_any_recent_backup_counts_for_the_daily_one(db, db_path):
    backups.make_backup(db, db_path, backups.BEFORE_IMPORT, now=NOW)
    assert backups.backup_if_due(db, db_path, now=NOW + timedelta(hours=2)) is None


def test_in_memory_database_is_never_backed_up():
    conn = connect(":memory:")
    try:
        assert backups.backup_if_due(conn, ":memory:", now=NOW) is None
    finally:
        conn.close()


def test_list_backups_gives_dates_sizes_and_reasons_newest_first(db, db_path):
    backups.make_backup(db, db_path, backups.DAILY, now=NOW)
    backups.make_backup(db, db_path, backups.BEFORE_IMPORT, now=NOW)
    backups.make_backup(db, db_path, backups.BEFORE_IMPORT, now=NOW)  # the same second again: gets a -2
    backups.make_backup(db, db_path, backups.MANUAL, now=NOW + timedelta(minutes=5))
    folder = paths.backups_dir_for(db_path)
    (folder / "test-迁移前-v1-20240101-080000.sqlite").write_bytes(b"x")
    (folder / "other-20250310-093000-每日.sqlite").write_bytes(b"x")  # another database's backup
    (folder / "notes.txt").write_text("备注", encoding="utf-8")
    found = backups.list_backups(db_path)
    assert [(b.reason, b.created) for b in found] == [
        (backups.MANUAL, NOW + timedelta(minutes=5)),
        (backups.BEFORE_IMPORT, NOW),
        (backups.BEFORE_IMPORT, NOW),
        (backups.DAILY, NOW),
        (backups.BEFORE_MIGRATION, datetime(2024, 1, 1, 8, 0)),
    ]
    assert found[1].path.name == "test-20250310-093000-2-导入前.sqlite"
    assert found[2].path.name == "test-20250310-093000-导入前.sqlite"
    assert found[0].label == "手动备份" and found[4].label == "升级前自动备份"
    assert all(b.size > 0 for b in found)


def test_rotation_keeps_ten_newest_ten_days_and_twelve_months(db, db_path):
    start = datetime(2024, 1, 1, 8, 0)
    backups.make_backup(db, db_path, backups.MANUAL, now=start - timedelta(days=1))  # never rotated
    for day in range(430):  # fourteen months of daily backups, and three imports on some days
        when = start + timedelta(days=day)
        backups.make_backup(db, db_path, backups.DAILY, now=when)
        if day % 50 == 0:
            for minute in (10, 20, 30):
                backups.make_backup(db, db_path, backups.BEFORE_IMPORT, now=when + timedelta(minutes=minute))
    now = start + timedelta(days=429, hours=1)
    backups.prune_backups(db_path, now)
    kept = backups.list_backups(db_path)
    auto = [b for b in kept if b.reason in backups.ROTATED]
    days = sorted({b.created.date() for b in auto}, reverse=True)
    # The ten newest days are all there (their newest backups), then one per month back to 12 months.
    expected_days = [(now - timedelta(days=i)).date() for i in range(10)]
    assert days[:10] == expected_days
    months = {(b.created.year, b.created.month) for b in auto}
    assert len(months) == 12
    assert min(months) == (2024, 4)  # March 2025 back to April 2024; older months are gone
    assert len(auto) <= backups.KEEP_NEWEST + backups.KEEP_DAYS + backups.KEEP_MONTHS
    assert any(b.reason == backups.MANUAL for b in kept)
    # Each kept month has its newest backup.
    april = [b for b in auto if (b.created.year, b.created.month) == (2024, 4)]
    assert [b.created.date().isoformat() for b in april] == ["2024-04-30"]


def test_rotation_keeps_several_imports_of_one_day(db, db_path):
    for minute in range(8):
        backups.make_backup(db, db_path, backups.BEFORE_IMPORT, now=NOW + timedelta(minutes=minute))
    assert len(backups.list_backups(db_path)) == 8


def test_restore_replaces_the_data_and_backs_up_the_current_first(db, db_path):
    set_setting(db, "probe", "backed up")
    backup = backups.make_backup(db, db_path, backups.MANUAL, now=NOW)
    set_setting(db, "probe", "current")
    result = backups.restore_backup(db_path, backup, now=NOW + timedelta(hours=1))
    assert result.restored_from == backup
    assert result.safety_backup is not None
    assert result.safety_backup.name == "test-20250310-103000-恢复前.sqlite"
    assert _value(db_path) == "backed up"
    assert _value(result.safety_backup) == "current"
    assert get_setting(db, "probe") == "backed up"  # a connection left open sees the restored data


def test_restore_with_a_stale_wal_never_replays_it(tmp_path, db, db_path):
    set_setting(db, "probe", "backed up")
    backup = backups.make_backup(db, db_path, backups.MANUAL, now=NOW)
    writer = connect(db_path)
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # the change stays in the -wal, as after a crash
    set_setting(writer, "probe", "in the wal")
    wal = db_path.with_name(db_path.name + "-wal")
    assert wal.stat().st_size > 0

    # A crash: the database, its -wal and -shm as the dead process left them, in another folder.
    crashed = tmp_path / "crashed" / "test.sqlite"
    crashed.parent.mkdir()
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{db_path}{suffix}", f"{crashed}{suffix}")
    writer.close()
    stale_backup = paths.backups_dir_for(crashed) / backup.name
    stale_backup.parent.mkdir()
    shutil.copyfile(backup, stale_backup)

    result = backups.restore_backup(crashed, stale_backup, now=NOW + timedelta(hours=1))
    crashed_wal = crashed.with_name(crashed.name + "-wal")
    assert not crashed_wal.exists() or crashed_wal.stat().st_size == 0
    assert _value(crashed) == "backed up"
    assert _value(crashed) == "backed up"  # and again, after every connection has closed and reopened
    # The data that were only in the -wal are in the safety backup, not lost.
    assert _value(result.safety_backup) == "in the wal"
    assert inspect_file(crashed)[1] >= 1


def test_restore_refuses_a_file_that_is_not_a_database(tmp_path, db, db_path):
    set_setting(db, "probe", "current")
    fake = tmp_path / "fake.sqlite"
    fake.write_text("这不是数据库", encoding="utf-8")
    with pytest.raises(backups.BackupError, match="不能用于恢复") as caught:
        backups.restore_backup(db_path, fake, now=NOW)
    assert "fake.sqlite" in caught.value.message and "不是数据库文件" in caught.value.message
    assert _value(db_path) == "current"
    assert backups.list_backups(db_path) == []  # nothing was done, not even the safety backup


def test_restore_refuses_other_programs_databases_newer_files_and_missing_ones(tmp_path, db_path):
    import sqlite3

    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    with pytest.raises(backups.BackupError, match="其他程序"):
        backups.restore_backup(db_path, other)
    newer = tmp_path / "newer.sqlite"
    shutil.copyfile(db_path, newer)
    conn = sqlite3.connect(newer)
    conn.execute("PRAGMA user_version = 999")
    conn.close()
    with pytest.raises(backups.BackupError, match="更新版本"):
        backups.restore_backup(db_path, newer)
    with pytest.raises(backups.BackupError, match="找不到备份文件"):
        backups.restore_backup(db_path, tmp_path / "gone.sqlite")
    with pytest.raises(backups.BackupError, match="当前数据库本身"):
        backups.restore_backup(db_path, db_path)


def test_restore_over_a_damaged_file_moves_it_aside(tmp_path, db, db_path):
    set_setting(db, "probe", "backed up")
    backup = backups.make_backup(db, db_path, backups.MANUAL, now=NOW)
    damaged = tmp_path / "damaged" / "test.sqlite"
    damaged.parent.mkdir()
    damaged.write_bytes(b"\x00" * 4096)
    (damaged.parent / "test.sqlite-wal").write_bytes(b"\x01" * 100)
    result = backups.restore_backup(damaged, backup, now=NOW)
    assert result.safety_backup is None
    assert sorted(p.name for p in result.damaged_moved) == [
        "test-20250310-093000-损坏.sqlite-wal.damaged",
        "test-20250310-093000-损坏.sqlite.damaged",
    ]
    assert not (damaged.parent / "test.sqlite-wal").exists()
    assert _value(damaged) == "backed up"
    assert backups.list_backups(damaged) == []  # the damaged copies are not offered for restore


def test_backup_now_uses_its_own_connection(db_path):
    path = backups.backup_now(db_path, now=NOW)
    assert path.name == "test-20250310-093000-手动.sqlite" and path.exists()
