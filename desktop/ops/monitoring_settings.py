"""Settings of the progress rules and reference values for comparator targets, kept in the `setting` table.

`monitoring.approx_band` (the ± band of “81左右”, default 2 %), `monitoring.on_track_ratio`,
`monitoring.acceleration_ratio`, `monitoring.count_tolerance` and `monitoring.direction_threshold` override
core.target_status's published defaults; `monitoring.reference.<target id>` holds the reference value (全省平均
水平 …) a comparator target is judged against. No schema change: these are plain settings.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import replace

from desktop.core.target_status import DEFAULT_SETTINGS, StatusSettings
from desktop.ops.changes import OpChanges
from desktop.store.db import atomic, get_setting, set_setting


class MonitoringError(ValueError):
    """A request the data cannot answer (unknown plan or unit, bad setting); .message is Chinese."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field  # the setting the message is about (approx_band …), when it is about one


SETTING_KEYS = {
    "approx_band": "monitoring.approx_band",
    "on_track_ratio": "monitoring.on_track_ratio",
    "acceleration_ratio": "monitoring.acceleration_ratio",
    "count_tolerance": "monitoring.count_tolerance",
    "direction_threshold": "monitoring.direction_threshold",
}
# name → (lowest, highest, what it is called in messages); the settings dialog shows the same limits.
SETTING_LIMITS = {
    "approx_band": (0.0, 0.5, "“左右”的允许偏差"),
    "on_track_ratio": (0.0, 2.0, "进展顺利的进度比"),
    "acceleration_ratio": (0.0, 2.0, "需加快的进度比"),
    "count_tolerance": (0.0, 1.0, "计数指标的允许偏差"),
    "direction_threshold": (0.0, 1.0, "趋势目标的最小变动"),
}
REFERENCE_PREFIX = "monitoring.reference."


# ---------------------------------------------------------------------------------------------------------
# Settings
# ---------------------------------------------------------------------------------------------------------


def load_status_settings(conn: sqlite3.Connection) -> StatusSettings:
    """The progress-rule settings stored in the file; a missing or unreadable value keeps its default."""
    found: dict[str, float] = {}
    for name, key in SETTING_KEYS.items():
        raw = get_setting(conn, key)
        try:
            number = float(raw) if raw is not None else math.nan
        except ValueError:
            continue
        low, high, _label = SETTING_LIMITS[name]
        if math.isfinite(number) and low <= number <= high:
            found[name] = number
    return replace(DEFAULT_SETTINGS, **found)


def check_status_settings(current: StatusSettings, **values: float) -> StatusSettings:
    """The settings `current` becomes with `values` (approx_band=0.03 …); MonitoringError (with .field) names
    the first value that is out of its limits or breaks the order of the two progress ratios."""
    for name, value in values.items():
        if name not in SETTING_KEYS:
            raise MonitoringError(f"未知的设置项“{name}”", name)
        low, high, label = SETTING_LIMITS[name]
        if not isinstance(value, int | float) or not math.isfinite(value) or not low <= value <= high:
            raise MonitoringError(f"{label}应在 {low:g} 到 {high:g} 之间，现在是 {value!r}", name)
    merged = replace(current, **values)
    if merged.acceleration_ratio > merged.on_track_ratio:
        # Name the ratio the caller changed; when both (or neither) changed, the lower one, “需加快”.
        only_upper = "on_track_ratio" in values and "acceleration_ratio" not in values
        field = "on_track_ratio" if only_upper else "acceleration_ratio"
        raise MonitoringError("“需加快”的进度比不能高于“进展顺利”的进度比", field)
    return merged


def save_status_settings(conn: sqlite3.Connection, **values: float) -> OpChanges:
    """Store progress-rule settings (approx_band=0.03 …) after checking them; all or nothing."""
    check_status_settings(load_status_settings(conn), **values)
    with atomic(conn):
        for name, value in values.items():
            set_setting(conn, SETTING_KEYS[name], repr(float(value)))
    return OpChanges(plans=bool(values))


def load_reference_values(conn: sqlite3.Connection) -> dict[int, float]:
    """Reference values for comparator targets, by target id."""
    rows = conn.execute("SELECT key, value FROM setting WHERE key LIKE ?", (REFERENCE_PREFIX + "%",))
    found = {}
    for key, raw in rows:
        try:
            target_id, number = int(key[len(REFERENCE_PREFIX) :]), float(raw)
        except ValueError:
            continue
        if math.isfinite(number):
            found[target_id] = number
    return found


def set_reference_value(conn: sqlite3.Connection, target_id: int, value: float | None) -> OpChanges:
    """Record (or with None clear) the reference value a comparator target (优于全省平均水平) is judged against."""
    row = conn.execute("SELECT kind FROM target WHERE id = ?", (target_id,)).fetchone()
    if row is None:
        raise MonitoringError(f"找不到目标（编号 {target_id}）")
    key = f"{REFERENCE_PREFIX}{int(target_id)}"
    with atomic(conn):
        if value is None:
            conn.execute("DELETE FROM setting WHERE key = ?", (key,))
        else:
            if not math.isfinite(float(value)):
                raise MonitoringError("参照值必须是有限的数字")
            set_setting(conn, key, repr(float(value)))
    return OpChanges(plans=True)
