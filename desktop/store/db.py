"""Connections, transactions and backups for the one SQLite file.

Every connection gets the same pragmas (WAL, synchronous=FULL, foreign keys), runs in autocommit mode and
opens transactions explicitly through `atomic`, so one user action is one transaction and nothing is
committed behind the caller's back (the sqlite3 module's implicit transactions are switched off).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

# 'CHD1' — marks the file as a County Health Desk database, so a random SQLite file is never migrated.
APPLICATION_ID = 0x43484431
SQLITE_HEADER = b"SQLite format 3\x00"


class DatabaseError(Exception):
    """A database problem with a message fit for a user (Chinese, names the file)."""

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None


class NotHealthDeskDatabase(DatabaseError):
    """The file is not a County Health Desk database (another program's SQLite file, or not SQLite)."""


class NewerDatabaseVersion(DatabaseError):
    """The file was written by a newer version of the program; it is left untouched."""


class DamagedDatabase(DatabaseError):
    """The file is empty where it must not be, truncated, or fails SQLite's integrity check."""


class ReadOnlyDatabase(DatabaseError):
    """The file, or the folder it is in, cannot be written. Every edit is saved at once, so it is refused."""


# SQLite's messages are English; a clerk gets the Chinese reading, the maintainer the original in brackets.
_SQLITE_REASONS = (
    ("malformed", "文件内容已损坏，可能是复制不完整、异常断电或磁盘故障造成的"),
    ("not a database", "文件内容不是有效的数据库"),
    ("readonly", "文件或所在文件夹是只读的"),
    ("unable to open", "无法打开文件，所在文件夹可能不允许写入，或文件正被其他程序占用"),
    ("locked", "文件正被其他程序占用"),
    ("disk i/o", "读写磁盘时出错"),
    ("disk is full", "磁盘空间已满"),
)
# errno → reason, for the OSErrors of creating folders and files (strerror is English on every platform).
_OS_REASONS = {
    1: "没有写入权限",
    2: "路径不存在",
    13: "没有写入权限",
    17: "已有同名文件",
    20: "路径中有一段是文件而不是文件夹",
    28: "磁盘空间已满",
    30: "磁盘是只读的",
}


def explain_sqlite_error(exc: BaseException) -> str:
    """A short Chinese reason for a sqlite3 error, with SQLite's own words in brackets."""
    text = str(exc)
    lowered = text.lower()
    for key, reason in _SQLITE_REASONS:
        if key in lowered:
            return f"{reason}（SQLite：{text}）"
    return text


def explain_os_error(exc: OSError) -> str:
    """A short Chinese reason for an OSError (permission, missing path, full disk …)."""
    if isinstance(exc, PermissionError):
        return "没有写入权限"
    return _OS_REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def is_busy(exc: BaseException) -> bool:
    """True for SQLite's "database is locked/busy": another program holds the file, nothing is damaged."""
    lowered = str(exc).lower()
    return "locked" in lowered or "busy" in lowered


def is_permission_problem(exc: BaseException) -> bool:
    """True for SQLite errors that mean "cannot write here", not "the file is damaged"."""
    lowered = str(exc).lower()
    return "readonly" in lowered or "unable to open" in lowered


def connect(path: Path | str, *, read_only: bool = False) -> sqlite3.Connection:
    """Open a connection with the house pragmas. ':memory:' is accepted for tests."""
    target = str(path)
    if read_only:
        uri = Path(target).resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")
    if not read_only:
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
    return conn


@contextmanager
def atomic(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One transaction; nested calls become savepoints. Any exception rolls back what the block did.

    BEGIN IMMEDIATE takes the write lock up front, so two windows (or a worker thread) never deadlock
    half-way through a user's action.
    """
    if conn.in_transaction:
        name = f"sp_{id(conn)}_{_next_savepoint()}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield conn
        except BaseException:
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
            raise
        conn.execute(f"RELEASE {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


_savepoint_counter = 0


def _next_savepoint() -> int:
    global _savepoint_counter
    _savepoint_counter += 1
    return _savepoint_counter


def insert_row(conn: sqlite3.Connection, table: str, fields: Mapping[str, Any]) -> int:
    """Insert one row of the given columns and return its id.

    The table and column names go into the SQL text, so they must come from the program (a checked list),
    never from a file or a user; the values always go as parameters.
    """
    names = list(fields)
    cur = conn.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [fields[k] for k in names],
    )
    return int(cur.lastrowid)


def backup_to(conn: sqlite3.Connection, dest: Path) -> Path:
    """Copy the live database to dest with SQLite's online backup API (never a file copy of a live file)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    if tmp.exists():
        tmp.unlink()
    target = sqlite3.connect(str(tmp))
    try:
        conn.backup(target)
        # The copy is a standalone file: no -wal beside it, so it can be mailed or restored as is.
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    tmp.replace(dest)
    return dest


def timestamp_for_file(now: datetime | None = None) -> str:
    return (now or datetime.now()).strftime("%Y%m%d-%H%M%S")


def now_text() -> str:
    """The timestamp format stored in the database: local time, seconds precision, ISO order."""
    return datetime.now().isoformat(sep=" ", timespec="seconds")


def read_header(path: Path) -> bytes:
    with path.open("rb") as fh:
        return fh.read(100)


def get_setting(conn: sqlite3.Connection, key: str, default: str | None = None) -> str | None:
    row = conn.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
    return row[0] if row else default


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
