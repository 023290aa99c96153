"""Schema migrations and the one safe way to open a database file.

Migrations are the files db/migrations/NNNN_name.sql, applied in number order. Each is applied in one
transaction together with its record in _migrations and the new user_version, so a power cut leaves the file
at the old version or the new one, never between. Before migrating a file that holds data, a backup is taken
with the backup API. A file from a newer program, or one that is not ours, is refused and left untouched.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.core import paths
from desktop.store.db import (
    APPLICATION_ID,
    SQLITE_HEADER,
    DamagedDatabase,
    DatabaseError,
    NewerDatabaseVersion,
    NotHealthDeskDatabase,
    backup_to,
    connect,
    now_text,
    read_header,
    timestamp_for_file,
)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    path: Path

    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class OpenResult:
    """What open_database did, so the caller can tell the user (e.g. "已备份到 …")."""

    conn: sqlite3.Connection
    created: bool
    migrated_from: int
    migrated_to: int
    backup_path: Path | None


def list_migrations(directory: Path | None = None) -> list[Migration]:
    """All migration files in number order; numbers must run 1, 2, 3 … without gaps."""
    directory = directory or paths.migrations_dir()
    found = []
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), path))
    for expected, migration in enumerate(found, start=1):
        if migration.number != expected:
            raise RuntimeError(
                f"migration numbers must be consecutive: expected {expected:04d}, got {migration.path}"
            )
    return found


def latest_version(directory: Path | None = None) -> int:
    migrations = list_migrations(directory)
    return migrations[-1].number if migrations else 0


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _user_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    return [row[0] for row in rows]


def apply_migrations(conn: sqlite3.Connection, directory: Path | None = None) -> tuple[int, int]:
    """Bring conn up to the latest schema. Returns (from_version, to_version)."""
    migrations = list_migrations(directory)
    start = schema_version(conn)
    if start > len(migrations):
        raise NewerDatabaseVersion(_newer_message(start, len(migrations)))
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    for migration in migrations[start:]:
        # executescript would commit an open transaction first, so the BEGIN goes inside the script itself;
        # on error the transaction is still open and is rolled back whole.
        try:
            conn.executescript("BEGIN IMMEDIATE;\n" + migration.sql())
            conn.execute(
                "INSERT INTO _migrations (number, name, applied_at) VALUES (?, ?, ?)",
                (migration.number, migration.name, now_text()),
            )
            conn.execute(f"PRAGMA user_version = {int(migration.number):d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return start, len(migrations)


def _newer_message(found: int, supported: int) -> str:
    return (
        f"这个数据库文件由更新版本的程序创建（数据库版本 {found}，本程序最高支持 {supported}）。"
        "为免损坏数据，本程序不会打开或修改它。请安装最新版本的程序后再打开。"
    )


def inspect_file(path: Path) -> tuple[int, int]:
    """Check, read-only, that path is a County Health Desk database we can open.

    Returns (application_id, user_version). Raises a DatabaseError subclass with a Chinese message otherwise.
    Nothing is written to the file (opened with mode=ro, so not even the journal mode changes).
    """
    try:
        header = read_header(path)
    except OSError as exc:
        raise DatabaseError(f"无法读取数据库文件“{path}”：{exc.strerror or exc}", path) from exc
    if len(header) == 0:
        raise DamagedDatabase(
            f"数据库文件“{path}”是空文件（0 字节），不是本程序的数据库。"
            "如果是异常断电造成的，请在“文件 → 从备份恢复”中选择最近的备份。",
            path,
        )
    if not header.startswith(SQLITE_HEADER):
        raise NotHealthDeskDatabase(
            f"文件“{path}”不是数据库文件（也可能已损坏）。请确认选择的是本程序的数据文件（.sqlite）。", path
        )
    try:
        conn = connect(path, read_only=True)
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabase(f"数据库文件“{path}”已损坏，无法打开：{exc}", path) from exc
    try:
        app_id = int(conn.execute("PRAGMA application_id").fetchone()[0])
        version = schema_version(conn)
        tables = _user_tables(conn)
        if app_id != APPLICATION_ID and (app_id != 0 or tables):
            raise NotHealthDeskDatabase(
                f"文件“{path}”是其他程序的 SQLite 数据库，不是“县域卫健规划监测”的数据文件。本程序不会修改它。",
                path,
            )
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            raise DamagedDatabase(
                f"数据库文件“{path}”已损坏（完整性检查未通过：{check}）。请从备份恢复。", path
            )
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabase(f"数据库文件“{path}”已损坏，无法读取：{exc}", path) from exc
    finally:
        conn.close()
    return app_id, version


def open_database(path: Path | str, *, create: bool = True, migrations: Path | None = None) -> OpenResult:
    """Open (creating or migrating as needed) the database at path.

    - A missing file is created when create is true, refused otherwise.
    - An empty (0-byte) file counts as missing only when create is true; otherwise it is reported as damaged.
    - A file from a newer program, another program's SQLite file, or a damaged file is refused untouched.
    - Before migrating a file that already has a schema, a backup is written to backups/ beside it.
    """
    path = Path(path)
    supported = latest_version(migrations)
    exists = path.exists() and path.stat().st_size > 0
    if path.exists() and path.is_dir():
        raise DatabaseError(f"“{path}”是一个文件夹，不是数据库文件。", path)
    if not exists and not create:
        if path.exists():
            inspect_file(path)  # raises the clear "empty file" message
        raise DatabaseError(f"找不到数据库文件“{path}”。", path)

    found_version = 0
    if exists:
        _app_id, found_version = inspect_file(path)
        if found_version > supported:
            raise NewerDatabaseVersion(_newer_message(found_version, supported), path)
    else:
        path.parent.mkdir(parents=True, exist_ok=True)

    try:
        conn = connect(path)
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabase(f"数据库文件“{path}”无法打开：{exc}", path) from exc
    backup_path = None
    try:
        if found_version < supported and found_version > 0:
            backup_path = (
                paths.backups_dir_for(path)
                / f"{path.stem}-迁移前-v{found_version}-{timestamp_for_file()}.sqlite"
            )
            backup_to(conn, backup_path)
        start, end = apply_migrations(conn, migrations)
    except BaseException:
        conn.close()
        raise
    return OpenResult(conn, created=not exists, migrated_from=start, migrated_to=end, backup_path=backup_path)
