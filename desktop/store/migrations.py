"""Schema migrations and the one safe way to open a database file.

Migrations are the files db/migrations/NNNN_name.sql, applied in number order. Each is applied in one
transaction together with its record in _migrations and the new user_version, so a power cut leaves the file
at the old version or the new one, never between. Before migrating a file that holds data, a backup is taken
with the backup API. A file from a newer program, or one that is not ours, is refused and left untouched.
"""

from __future__ import annotations

import os
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
    ReadOnlyDatabase,
    backup_to,
    connect,
    explain_os_error,
    explain_sqlite_error,
    is_busy,
    is_permission_problem,
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
    # Only when missing: setting it is a write, and a write on every open would fail whenever another
    # program (a backup tool, a second PC on a share) holds the file, though nothing needs changing.
    if int(conn.execute("PRAGMA application_id").fetchone()[0]) != APPLICATION_ID:
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
        # No "restore from a backup" here: the window's dialog offers a button, the command line names the folder.
        raise DamagedDatabase(
            f"数据库文件“{path}”是空文件（0 字节），不是本程序的数据库，可能是异常断电或磁盘已满造成的。",
            path,
        )
    if not header.startswith(SQLITE_HEADER):
        raise NotHealthDeskDatabase(
            f"文件“{path}”不是数据库文件（也可能已损坏）。请确认选择的是本程序的数据文件（.sqlite）。", path
        )
    try:
        conn = connect(path, read_only=True)
    except sqlite3.DatabaseError as exc:
        raise _open_failure(path, exc, "无法打开") from exc
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
            raise DamagedDatabase(f"数据库文件“{path}”已损坏（完整性检查未通过：{check}）。", path)
    except sqlite3.DatabaseError as exc:
        # A WAL file in a read-only folder cannot even be read (SQLite must create its -shm beside it):
        # that is a permission problem, and calling it "damaged" would frighten the clerk for nothing.
        raise _open_failure(path, exc, "无法读取") from exc
    finally:
        conn.close()
    return app_id, version


def _open_failure(path: Path, exc: sqlite3.Error, what: str) -> DatabaseError:
    """The DatabaseError for a sqlite3 error while opening path: read-only, or damaged."""
    if is_permission_problem(exc):
        return _read_only_error(path)
    if is_busy(exc):
        return _busy_error(path)
    return DamagedDatabase(f"数据库文件“{path}”{what}：{explain_sqlite_error(exc)}。", path)


def _busy_error(path: Path) -> DatabaseError:
    return DatabaseError(
        f"数据库文件“{path}”正被其他程序占用（例如数据库工具、备份软件，或另一台电脑通过共享文件夹打开了它）。"
        "请关闭占用它的程序后再打开。",
        path,
    )


def _read_only_error(path: Path) -> ReadOnlyDatabase:
    return ReadOnlyDatabase(
        f"数据库文件“{path}”或它所在的文件夹是只读的，本程序无法在其中保存数据"
        "（每次修改都立即写入文件，文件旁还要写入 -wal、-shm 临时文件）。"
        "请取消文件的“只读”属性，或把文件复制到可以写入的文件夹（例如“文档”）后再打开。",
        path,
    )


def _check_writable(path: Path) -> None:
    """Refuse, before anything is read, a file the program could open but never save to."""
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK | os.X_OK):
        raise _read_only_error(path)


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
        _check_writable(path)
    else:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseError(
                f"无法创建数据库所在的文件夹“{path.parent}”：{explain_os_error(exc)}。请换一个可以写入的位置。",
                path,
            ) from exc

    if not exists and not os.access(path.parent, os.W_OK | os.X_OK):
        raise DatabaseError(
            f"无法在文件夹“{path.parent}”中创建数据库文件：没有写入权限。请换一个可以写入的位置。", path
        )
    try:
        conn = connect(path)
    except sqlite3.Error as exc:
        if not exists:
            raise DatabaseError(
                f"无法在“{path.parent}”中创建数据库文件：{explain_sqlite_error(exc)}。请换一个可以写入的位置。",
                path,
            ) from exc
        raise _open_failure(path, exc, "无法打开") from exc
    backup_path = None
    try:
        if found_version < supported and found_version > 0:
            backup_path = (
                paths.backups_dir_for(path)
                / f"{path.stem}-迁移前-v{found_version}-{timestamp_for_file()}.sqlite"
            )
            try:
                backup_to(conn, backup_path)
            except (OSError, sqlite3.Error) as exc:
                reason = explain_os_error(exc) if isinstance(exc, OSError) else explain_sqlite_error(exc)
                raise DatabaseError(
                    f"数据库“{path}”需要升级，但升级前的备份无法写入“{backup_path.parent}”：{reason}。"
                    "为安全起见没有升级，文件未作修改。",
                    path,
                ) from exc
        start, end = apply_migrations(conn, migrations)
    except sqlite3.OperationalError as exc:
        conn.close()
        if is_busy(exc):
            raise _busy_error(path) from exc
        raise
    except BaseException:
        conn.close()
        raise
    return OpenResult(conn, created=not exists, migrated_from=start, migrated_to=end, backup_path=backup_path)
