"""Automatic rotating backups of the database file, and restoring one.

Backups are written with SQLite's online backup API (desktop.store.db.backup_to), never by copying a live
file, into the folder beside the database (desktop.core.paths.backups_dir_for). A backup is a standalone file
(no -wal) named ``<database name>-<YYYYMMDD-HHMMSS>-<reason>.sqlite``, e.g. ``healthdesk-20250106-083012-每日.sqlite``;
the reason is one of 每日 (taken at start when the newest backup is older than a day), 导入前 (before every
import), 恢复前 (the current data, taken before a restore), 手动 (the user asked). Backups the migrations take
(``…-迁移前-v1-….sqlite``) are listed too.

Rotation (after every automatic backup) applies only to 每日 and 导入前 backups; the others are kept until the
user deletes them. Of the automatic ones these are kept, the rest deleted:

- the 10 newest (so several imports on one day can each be undone);
- the newest of each of the 10 most recent days that have one (the last 10 daily backups);
- the newest of each calendar month of the last 12 months (this month included).

So about 30 files at most, and a mistake noticed a year later can still be undone to the month.

Restore first checks the chosen file (desktop.store.migrations.inspect_file: a County Health Desk database,
not damaged, not from a newer program), then backs up the current data (恢复前), then writes the backup into
the database through the backup API on a connection to it: SQLite writes the restored pages through its own
WAL, so no stale -wal left by a crash can ever be replayed onto the restored file, and the WAL is checkpointed
and truncated afterwards. A current file that cannot be opened at all (damaged) is moved aside into the backups
folder with its -wal/-shm (``…-损坏.sqlite.damaged``) and the backup is written in its place.
"""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from desktop.core import paths
from desktop.store.db import DatabaseError, backup_to, connect, timestamp_for_file
from desktop.store.migrations import inspect_file, latest_version

log = logging.getLogger(__name__)

DAILY = "每日"
BEFORE_IMPORT = "导入前"
BEFORE_RESTORE = "恢复前"
MANUAL = "手动"
BEFORE_MIGRATION = "迁移前"
REASON_LABELS = {
    DAILY: "每日自动备份",
    BEFORE_IMPORT: "导入前自动备份",
    BEFORE_RESTORE: "恢复前自动备份",
    MANUAL: "手动备份",
    BEFORE_MIGRATION: "升级前自动备份",
}
ROTATED = (DAILY, BEFORE_IMPORT)
KEEP_NEWEST = 10
KEEP_DAYS = 10
KEEP_MONTHS = 12
DUE_AFTER = timedelta(days=1)
DAMAGED_SUFFIX = ".damaged"

_TS = r"(?P<ts>\d{8}-\d{6})"


class BackupError(DatabaseError):
    """A backup or restore that cannot be done; .message is Chinese and says why and what to do."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where, when it was taken, its size in bytes and why it was taken."""

    path: Path
    created: datetime
    size: int
    reason: str
    sequence: int = 0  # several backups in the same second get -2, -3 …

    @property
    def label(self) -> str:
        """The reason in words for the restore dialog ("每日自动备份")."""
        return REASON_LABELS.get(self.reason, self.reason)


@dataclass(frozen=True)
class RestoreResult:
    """What restore_backup did: from which file, and where the data it replaced were saved."""

    restored_from: Path
    safety_backup: Path | None  # the 恢复前 backup of the data that were replaced
    damaged_moved: tuple[Path, ...] = ()  # the unreadable current file(s), moved aside instead


def _patterns(stem: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    s = re.escape(stem)
    ours = re.compile(rf"^{s}-{_TS}(?:-(?P<seq>\d+))?-(?P<reason>[^-./\\]+)\.sqlite$")
    migration = re.compile(rf"^{s}-{BEFORE_MIGRATION}-v\d+-{_TS}\.sqlite$")
    return ours, migration


def list_backups(db_path: Path | str) -> list[BackupInfo]:
    """The backups of the database at db_path, newest first (files of other databases in the folder are not)."""
    db_path = Path(db_path)
    folder = paths.backups_dir_for(db_path)
    if not folder.is_dir():
        return []
    ours, migration = _patterns(db_path.stem)
    found = []
    for path in folder.glob("*.sqlite"):
        match = ours.match(path.name)
        reason, sequence = None, 0
        if match:
            reason, sequence = match.group("reason"), int(match.group("seq") or 0)
        else:
            match = migration.match(path.name)
            reason = BEFORE_MIGRATION if match else None
        if match is None or reason is None:
            continue
        try:
            created = datetime.strptime(match.group("ts"), "%Y%m%d-%H%M%S")
            size = path.stat().st_size
        except (ValueError, OSError):
            continue
        found.append(BackupInfo(path, created, size, reason, sequence))
    found.sort(key=lambda b: (b.created, b.sequence), reverse=True)
    return found


def database_file(conn: sqlite3.Connection) -> Path | None:
    """The file behind conn's main database, or None for an in-memory database."""
    for row in conn.execute("PRAGMA database_list"):
        if row[1] == "main":
            return Path(row[2]) if row[2] else None
    return None


def _free_name(folder: Path, stem: str, stamp: str, reason: str) -> Path:
    candidate = folder / f"{stem}-{stamp}-{reason}.sqlite"
    sequence = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{stamp}-{sequence}-{reason}.sqlite"
        sequence += 1
    return candidate


def make_backup(
    conn: sqlite3.Connection, db_path: Path | str, reason: str, now: datetime | None = None
) -> Path:
    """Back up conn's database (the file db_path) now, then rotate the automatic backups. Returns the new file.

    Must not be called inside a transaction on conn. Raises BackupError (Chinese) when the folder or disk fails.
    """
    db_path = Path(db_path)
    now = now or datetime.now()
    folder = paths.backups_dir_for(db_path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, db_path.stem, timestamp_for_file(now), reason)
        backup_to(conn, target)
    except OSError as exc:
        raise BackupError(f"无法写入备份文件夹“{folder}”：{exc.strerror or exc}", db_path) from exc
    except sqlite3.Error as exc:
        raise BackupError(f"备份数据库“{db_path.name}”失败：{exc}", db_path) from exc
    prune_backups(db_path, now)
    return target


def backup_now(db_path: Path | str, reason: str = MANUAL, now: datetime | None = None) -> Path:
    """Back up the database file at db_path on a connection of its own (the restore dialog's 立即备份)."""
    db_path = Path(db_path)
    try:
        conn = connect(db_path)
    except sqlite3.Error as exc:
        raise BackupError(f"无法打开数据库“{db_path.name}”进行备份：{exc}", db_path) from exc
    try:
        return make_backup(conn, db_path, reason, now)
    finally:
        conn.close()


def backup_if_due(conn: sqlite3.Connection, db_path: Path | str, now: datetime | None = None) -> Path | None:
    """At start: take a 每日 backup when the newest backup of any kind is older than a day (or there is none).

    Returns the new backup's path, or None when none was due (or the database is in memory).
    """
    db_path = Path(db_path)
    if str(db_path) == ":memory:" or database_file(conn) is None:
        return None
    now = now or datetime.now()
    backups = list_backups(db_path)
    if backups and now - backups[0].created < DUE_AFTER:
        return None
    return make_backup(conn, db_path, DAILY, now)


def backups_to_keep(backups: list[BackupInfo], now: datetime) -> set[Path]:
    """The rotation rule of the module docstring: which backups stay (all non-automatic ones do)."""
    keep = {b.path for b in backups if b.reason not in ROTATED}
    auto = sorted(
        (b for b in backups if b.reason in ROTATED), key=lambda b: (b.created, b.sequence), reverse=True
    )
    keep.update(b.path for b in auto[:KEEP_NEWEST])
    days: set[object] = set()
    months: set[tuple[int, int]] = set()
    for backup in auto:
        day = backup.created.date()
        if day not in days and len(days) < KEEP_DAYS:
            days.add(day)
            keep.add(backup.path)
        month = (backup.created.year, backup.created.month)
        months_ago = (now.year - month[0]) * 12 + now.month - month[1]
        if month not in months and 0 <= months_ago < KEEP_MONTHS:
            months.add(month)
            keep.add(backup.path)
    return keep


def prune_backups(db_path: Path | str, now: datetime | None = None) -> list[Path]:
    """Delete the automatic backups the rotation rule does not keep; returns what was deleted."""
    backups = list_backups(db_path)
    keep = backups_to_keep(backups, now or datetime.now())
    removed = []
    for backup in backups:
        if backup.path in keep:
            continue
        try:
            backup.path.unlink()
        except OSError:
            # A backup open in another program is tried again at the next rotation; nothing is lost.
            log.warning("could not delete old backup %s", backup.path)
            continue
        removed.append(backup.path)
    return removed


# --- restore -----------------------------------------------------------------------------------------------


def _check_backup(backup_path: Path, db_path: Path) -> None:
    if not backup_path.is_file():
        raise BackupError(f"找不到备份文件“{backup_path}”。", backup_path)
    if db_path.exists() and backup_path.resolve() == db_path.resolve():
        raise BackupError("所选文件就是当前数据库本身，不能用它来恢复。", backup_path)
    try:
        _app_id, version = inspect_file(backup_path)
    except DatabaseError as exc:
        raise BackupError(f"“{backup_path.name}”不能用于恢复：{exc.message}", backup_path) from exc
    if version == 0:
        raise BackupError(f"“{backup_path.name}”不能用于恢复：文件中没有本程序的数据。", backup_path)
    supported = latest_version()
    if version > supported:
        raise BackupError(
            f"“{backup_path.name}”不能用于恢复：它由更新版本的程序创建（数据库版本 {version}，"
            f"本程序最高支持 {supported}）。请先安装最新版本的程序。",
            backup_path,
        )


def _current_is_readable(db_path: Path) -> bool:
    if not db_path.exists() or db_path.stat().st_size == 0:
        return False
    try:
        inspect_file(db_path)
    except DatabaseError:
        return False
    return True


def _restore_into_live(db_path: Path, backup_path: Path, now: datetime) -> Path:
    conn = connect(db_path)
    try:
        safety = make_backup(conn, db_path, BEFORE_RESTORE, now)
        source = connect(backup_path, read_only=True)
        try:
            source.backup(conn)
        finally:
            source.close()
        # Fold the restored pages into the main file and empty the WAL, so the file stands on its own.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return safety


def _move_damaged(db_path: Path, now: datetime) -> tuple[Path, ...]:
    folder = paths.backups_dir_for(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timestamp_for_file(now)
    moved = []
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = Path(f"{db_path}{suffix}")
        if not source.exists():
            continue
        target = folder / f"{db_path.stem}-{stamp}-损坏.sqlite{suffix}{DAMAGED_SUFFIX}"
        source.replace(target)
        moved.append(target)
    return tuple(moved)


def restore_backup(
    db_path: Path | str, backup_path: Path | str, now: datetime | None = None
) -> RestoreResult:
    """Replace the data in db_path with the backup at backup_path (see the module docstring for how).

    The caller reopens the database afterwards (a restored older backup is migrated then). Raises BackupError
    with a Chinese message, and leaves the current file as it was, when the backup is not usable.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    now = now or datetime.now()
    _check_backup(backup_path, db_path)
    safety: Path | None = None
    moved: tuple[Path, ...] = ()
    try:
        if _current_is_readable(db_path):
            safety = _restore_into_live(db_path, backup_path, now)
        else:
            moved = _move_damaged(db_path, now)
            source = connect(backup_path, read_only=True)
            try:
                backup_to(source, db_path)
            finally:
                source.close()
    except BackupError:
        raise
    except PermissionError as exc:
        raise BackupError(
            f"数据库文件“{db_path.name}”正被其他程序使用，无法恢复。请关闭其他打开它的窗口或程序后重试。",
            db_path,
        ) from exc
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise BackupError(
                f"数据库“{db_path.name}”正忙（可能有其他窗口正在写入），暂时无法恢复，请稍后重试。", db_path
            ) from exc
        raise BackupError(f"恢复失败：{exc}", db_path) from exc
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"恢复失败：{exc}", db_path) from exc
    try:
        inspect_file(db_path)
    except DatabaseError as exc:
        where = f"恢复前的数据已保存在“{safety}”。" if safety else ""
        raise BackupError(f"恢复后的数据库未通过检查：{exc.message}{where}", db_path) from exc
    return RestoreResult(backup_path, safety, moved)
