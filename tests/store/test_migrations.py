"""Opening files safely: fresh, current, older (backed up first), newer, foreign, empty and damaged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from desktop.store import db as store_db
from desktop.store.db import (
    APPLICATION_ID,
    DamagedDatabase,
    DatabaseError,
    NewerDatabaseVersion,
    NotHealthDeskDatabase,
    atomic,
    backup_to,
    connect,
)
from desktop.store.migrations import apply_migrations, latest_version, list_migrations, open_database


def _bytes(path: Path) -> bytes:
    return path.read_bytes()


def test_fresh_file_gets_schema_pragmas_and_records(tmp_path):
    result = open_database(tmp_path / "new.sqlite")
    conn = result.conn
    assert result.created and result.migrated_from == 0 and result.migrated_to == latest_version()
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    recorded = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY number")]
    assert recorded == [m.name for m in list_migrations()]
    conn.close()


def test_reopening_a_current_file_changes_nothing(db_path):
    result = open_database(db_path)
    assert not result.created and result.backup_path is None
    assert result.migrated_from == result.migrated_to == latest_version()
    result.conn.close()


def test_older_file_is_backed_up_with_the_backup_api_before_migrating(tmp_path):
    # Build a version-1 database with data, then give the program a second migration to apply.
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    first = list_migrations()[0]
    (migrations / first.path.name).write_text(first.sql(), encoding="utf-8")
    path = tmp_path / "old.sqlite"
    conn = open_database(path, migrations=migrations).conn
    conn.execute("INSERT INTO setting (key, value) VALUES ('marker', 'kept')")
    conn.close()
    (migrations / "0002_add_note.sql").write_text(
        "ALTER TABLE setting ADD COLUMN note TEXT;", encoding="utf-8"
    )

    result = open_database(path, migrations=migrations)
    assert result.migrated_from == 1 and result.migrated_to == 2
    assert result.backup_path is not None and result.backup_path.exists()
    backup = sqlite3.connect(result.backup_path)
    assert backup.execute("PRAGMA user_version").fetchone()[0] == 1
    assert backup.execute("SELECT value FROM setting WHERE key = 'marker'").fetchone()[0] == "kept"
    backup.close()
    assert result.conn.execute("SELECT note FROM setting WHERE key = 'marker'").fetchone()[0] is None
    result.conn.close()


def test_a_failing_migration_rolls_back_whole(tmp_path):
    migrations = tmp_path / "migrations"
    migrations.mkdir()
    first = list_migrations()[0]
    (migrations / first.path.name).write_text(first.sql(), encoding="utf-8")
    path = tmp_path / "x.sqlite"
    open_database(path, migrations=migrations).conn.close()
    (migrations / "0002_broken.sql").write_text(
        "CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);", encoding="utf-8"
    )
    with pytest.raises(sqlite3.OperationalError):
        open_database(path, migrations=migrations)
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[0] == 0
    conn.close()


def test_newer_file_is_refused_and_left_untouched(db_path):
    conn = connect(db_path)
    conn.execute(f"PRAGMA user_version = {latest_version() + 5}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = _bytes(db_path)
    with pytest.raises(NewerDatabaseVersion) as info:
        open_database(db_path)
    assert "更新版本" in info.value.message
    assert _bytes(db_path) == before
    assert not (db_path.parent / "backups").exists()


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "other.sqlite"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE customers (id INTEGER)")
    other.commit()
    other.close()
    before = _bytes(path)
    with pytest.raises(NotHealthDeskDatabase) as info:
        open_database(path)
    assert "其他程序" in info.value.message
    assert _bytes(path) == before


def test_text_file_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite"
    path.write_text("这不是数据库" * 50, encoding="utf-8")
    with pytest.raises(NotHealthDeskDatabase) as info:
        open_database(path)
    assert "不是数据库文件" in info.value.message


def test_empty_file_is_refused_unless_creating(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    with pytest.raises(DamagedDatabase) as info:
        open_database(path, create=False)
    assert "空文件" in info.value.message and path.stat().st_size == 0
    result = open_database(path, create=True)  # `healthdesk init` on a placeholder file is fine
    assert result.migrated_to == latest_version()
    result.conn.close()


def test_missing_file_is_refused_unless_creating(tmp_path):
    with pytest.raises(DatabaseError) as info:
        open_database(tmp_path / "nope.sqlite", create=False)
    assert "找不到" in info.value.message
    assert not (tmp_path / "nope.sqlite").exists()


def test_truncated_file_is_reported_as_damaged(db_path, tmp_path):
    conn = connect(db_path)
    conn.executemany(
        "INSERT INTO setting (key, value) VALUES (?, ?)", [(f"k{i}", "x" * 500) for i in range(400)]
    )
    backup_to(conn, tmp_path / "full.sqlite")
    conn.close()
    data = (tmp_path / "full.sqlite").read_bytes()
    broken = tmp_path / "broken.sqlite"
    broken.write_bytes(data[: len(data) // 3])
    with pytest.raises(DamagedDatabase) as info:
        open_database(broken)
    assert "损坏" in info.value.message


def test_atomic_rolls_back_everything_on_error_and_nests_as_savepoints(db):
    with pytest.raises(RuntimeError), atomic(db):
        store_db.set_setting(db, "a", "1")
        raise RuntimeError("boom")
    assert store_db.get_setting(db, "a") is None

    with atomic(db):
        store_db.set_setting(db, "outer", "1")
        with pytest.raises(ValueError), atomic(db):
            store_db.set_setting(db, "inner", "1")
            raise ValueError("inner fails")
    assert store_db.get_setting(db, "outer") == "1"
    assert store_db.get_setting(db, "inner") is None
    assert not db.in_transaction


def test_backup_is_a_standalone_readable_copy(db, tmp_path):
    store_db.set_setting(db, "k", "v")
    dest = backup_to(db, tmp_path / "b" / "copy.sqlite")
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT value FROM setting WHERE key='k'").fetchone()[0] == "v"
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()


def test_schema_rejects_invalid_rows(db):
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO org_unit (code, name, level, unit_type, uscc) VALUES ('x', 'x', 1, 'county', 'short')"
        )
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO org_unit (code, name, level, unit_type) VALUES ('y', 'y', 1, 'no_such_type')")


def test_apply_migrations_refuses_newer_connection(db):
    db.execute(f"PRAGMA user_version = {latest_version() + 1}")
    with pytest.raises(NewerDatabaseVersion):
        apply_migrations(db)


# --- files the program could read but never save to, and places it cannot write ---------------------------


def test_read_only_file_is_refused_as_read_only_not_as_damaged(db_path, monkeypatch):
    import os

    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == db_path and mode & os.W_OK else real_access(p, mode)
    )
    before = _bytes(db_path)
    with pytest.raises(store_db.ReadOnlyDatabase) as info:
        open_database(db_path, create=False)
    assert "只读" in info.value.message and "损坏" not in info.value.message
    assert _bytes(db_path) == before


def test_read_only_folder_is_refused(db_path, monkeypatch):
    import os

    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == db_path.parent else real_access(p, mode)
    )
    with pytest.raises(store_db.ReadOnlyDatabase) as info:
        open_database(db_path, create=False)
    assert "所在的文件夹是只读的" in info.value.message
    with pytest.raises(DatabaseError) as info:
        open_database(db_path.parent / "new.sqlite", create=True)
    assert "没有写入权限" in info.value.message
    assert not (db_path.parent / "new.sqlite").exists()


def test_sqlite_readonly_errors_are_not_called_damage(db_path, monkeypatch):
    # A WAL database in a read-only folder fails inside SQLite ("attempt to write a readonly database").
    from desktop.store import migrations

    def refuse(*_args, **_kwargs):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(migrations, "connect", refuse)
    with pytest.raises(store_db.ReadOnlyDatabase):
        open_database(db_path, create=False)


def test_a_folder_that_cannot_be_created_gives_a_chinese_reason(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(DatabaseError) as info:
        open_database(blocker / "sub" / "new.sqlite", create=True)
    assert "无法创建数据库所在的文件夹" in info.value.message
    assert "路径中有一段是文件而不是文件夹" in info.value.message


def test_damage_is_explained_in_chinese_with_sqlites_words_kept(tmp_path):
    text = store_db.explain_sqlite_error(sqlite3.DatabaseError("database disk image is malformed"))
    assert text.startswith("文件内容已损坏") and "database disk image is malformed" in text
    assert store_db.explain_sqlite_error(sqlite3.DatabaseError("something new")) == "something new"


def test_an_upgrade_whose_backup_cannot_be_written_leaves_the_file_untouched(tmp_path, monkeypatch):
    migrations_dir = tmp_path / "migrations"
    migrations_dir.mkdir()
    first = list_migrations()[0]
    (migrations_dir / first.path.name).write_text(first.sql(), encoding="utf-8")
    path = tmp_path / "old.sqlite"
    open_database(path, migrations=migrations_dir).conn.close()
    (migrations_dir / "0002_add_note.sql").write_text(
        "ALTER TABLE setting ADD COLUMN note TEXT;", encoding="utf-8"
    )
    (tmp_path / "backups").write_text("a file where the backups folder should be", encoding="utf-8")
    with pytest.raises(DatabaseError) as info:
        open_database(path, migrations=migrations_dir)
    assert "升级前的备份无法写入" in info.value.message and "未作修改" in info.value.message
    conn = connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    conn.close()


def test_a_current_file_opens_while_another_program_is_writing_to_it(db_path):
    # Opening used to set application_id every time: a write, which waited 5 s for the other writer and then
    # failed with an unexpected "database is locked" although nothing needed changing.
    other = connect(db_path)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO setting (key, value) VALUES ('other', 'writer')")
    try:
        result = open_database(db_path, create=False)
        result.conn.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_locked_file_is_reported_as_busy_not_damaged(db_path, monkeypatch):
    from desktop.store import migrations

    def locked(*_args, **_kwargs):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(migrations, "connect", locked)
    with pytest.raises(DatabaseError) as info:
        open_database(db_path, create=False)
    assert not isinstance(info.value, DamagedDatabase)  # no 从备份恢复 for a file that is merely in use
    assert "正被其他程序占用" in info.value.message
