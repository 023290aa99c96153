"""Open (creating when needed) a database and give it its starting content: the plan library, and on request
the demo county. The first start of the program goes through open_or_create_default.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from desktop.core import paths
from desktop.ops.changes import OpChanges
from desktop.ops.demo_county import DemoResult, build_demo_county
from desktop.ops.plan_library import LoadResult, load_plan_library
from desktop.ops.progress import Progress
from desktop.store import orgunits, plans
from desktop.store.migrations import inspect_file, open_database


@dataclass(frozen=True)
class InitResult:
    """The open connection and what init_database did to the file."""

    conn: sqlite3.Connection
    path: Path
    created: bool
    migrated_from: int
    migrated_to: int
    backup_path: Path | None
    plans: LoadResult | None = None  # None when the file already had plans
    demo: DemoResult | None = None  # None when no demo was asked for or the file already had org units

    @property
    def changes(self) -> OpChanges:
        result = OpChanges()
        if self.plans is not None:
            result = result | self.plans.changes
        if self.demo is not None:
            result = result | self.demo.changes
        return result

    def summary(self) -> dict[str, object]:
        """What was done, as plain data (the command line prints it as JSON)."""
        data: dict[str, object] = {
            "created": self.created,
            "schema_version": self.migrated_to,
            "migrated_from": self.migrated_from,
            "backup": str(self.backup_path) if self.backup_path else None,
            "plans_loaded": list(self.plans.plans_loaded) if self.plans else [],
            "demo": None,
        }
        if self.demo is not None and not self.demo.skipped:
            data["demo"] = {
                "org_units": self.demo.org_units,
                "data_elements": self.demo.elements,
                "data_sets": self.demo.data_sets,
                "values": self.demo.values,
                "seconds": round(self.demo.seconds, 3),
            }
        return data

    def describe(self) -> list[str]:
        """What was done, as sentences for a person."""
        lines = [f"数据库：{self.path}"]
        if self.created:
            lines.append(f"已创建新数据库（结构版本 {self.migrated_to}）。")
        elif self.migrated_from < self.migrated_to:
            lines.append(f"已把数据库从版本 {self.migrated_from} 升级到 {self.migrated_to}。")
        else:
            lines.append(f"数据库已是最新版本（{self.migrated_to}），未作结构改动。")
        if self.backup_path:
            lines.append(f"升级前的备份：{self.backup_path}")
        if self.plans and self.plans.plans_loaded:
            lines.append(
                f"已载入规划库：{len(self.plans.plans_loaded)} 个规划，{self.plans.plan_indicators} 个指标行，"
                f"{self.plans.targets} 个目标值。"
            )
        if self.demo is not None and not self.demo.skipped:
            lines.append(
                f"已生成示例县（示例数据）：{self.demo.org_units} 个单位，{self.demo.values} 个数据值"
                f"（用时 {self.demo.seconds:.2f} 秒）。"
            )
        return lines


class _Scaled(Progress):
    """Forwards a sub-task's 0..1 progress into a slice [start, end] of the caller's Progress."""

    def __init__(self, outer: Progress, start: float, end: float) -> None:
        super().__init__()
        self._outer, self._start, self._end = outer, start, end

    def check(self) -> None:
        self._outer.check()

    def report(self, fraction: float, status: str = "") -> None:
        super().report(fraction, status)
        self._outer.report(self._start + (self._end - self._start) * self.fraction, status)


def _slice(progress: Progress | None, start: float, end: float) -> Progress | None:
    return _Scaled(progress, start, end) if progress is not None else None


def init_database(path: Path | str, *, demo: bool, progress: Progress | None = None) -> InitResult:
    """Open or create the database at path, load the plan library if it has no plans, and build the demo
    county if demo is true and it has no org units. Returns the open connection with a record of what was done.

    Raises the store's DatabaseError subclasses (Chinese messages) for files that cannot be opened, and
    SeedDataError if a bundled data file is malformed; the connection is closed before either propagates.
    """
    path = Path(path)
    opened = open_database(path, create=True)
    conn = opened.conn
    plan_result = demo_result = None
    try:
        if not plans.list_plans(conn):
            plan_result = load_plan_library(conn, progress=_slice(progress, 0.0, 0.3))
        if demo and orgunits.count_org_units(conn) == 0:
            demo_result = build_demo_county(conn, progress=_slice(progress, 0.3, 1.0))
    except BaseException:
        conn.close()
        raise
    if progress is not None:
        progress.report(1.0, "数据库已就绪")
    return InitResult(
        conn=conn,
        path=path,
        created=opened.created,
        migrated_from=opened.migrated_from,
        migrated_to=opened.migrated_to,
        backup_path=opened.backup_path,
        plans=plan_result,
        demo=demo_result,
    )


def open_or_create_default(progress: Progress | None = None) -> InitResult:
    """The first-start path: the default database file, created with the demo county when it does not exist.

    An existing file is opened (and migrated) as is; only a missing or empty file gets the demo, so a user's
    real data never has demo units added to it.
    """
    path = paths.default_db_path()
    missing = not path.exists() or path.stat().st_size == 0
    if missing and path.exists():
        from desktop.ops.backups import list_backups

        if list_backups(path):
            # A 0-byte file with backups beside it is a user's database emptied by a power cut or a full
            # disk, not a first start: replacing it with the demo county would hide the loss. Refuse it
            # (DamagedDatabase, "空文件"), so the window offers to restore the newest backup instead.
            inspect_file(path)
    return init_database(path, demo=missing, progress=progress)
