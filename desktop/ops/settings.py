"""The program's settings as the 设置 dialog edits them: the user's name and the monitoring rules.

They are read together, checked together (every field's problem at once, so a dialog can show each message
beside its field) and saved together in one transaction; a refused field writes nothing. The monitoring rules
are fractions in the file (0.02) and percentages on screen (2 %): the text a clerk typed is read here, so the
messages speak in the unit the clerk sees. Limits and the order of the two progress ratios are the ones
desktop.ops.monitoring_settings enforces.
"""

from __future__ import annotations

import math
import sqlite3
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from desktop.core.target_status import DEFAULT_SETTINGS, StatusSettings
from desktop.ops.changes import OpChanges
from desktop.ops.monitoring_settings import (
    SETTING_KEYS,
    SETTING_LIMITS,
    MonitoringError,
    check_status_settings,
    load_status_settings,
    save_status_settings,
)
from desktop.ops.users import (
    UserNameInvalid,
    check_user_name,
    login_name,
    set_current_user,
    stored_user_name,
)
from desktop.store.db import atomic

USER_NAME = "user_name"
# The monitoring rules the dialog shows, in its order; each is a percentage on screen.
STATUS_FIELDS = (
    "approx_band",
    "on_track_ratio",
    "acceleration_ratio",
    "count_tolerance",
    "direction_threshold",
)
DEFAULT_STATUS: StatusSettings = DEFAULT_SETTINGS
_PERCENT_SIGNS = "%"  # NFKC turns the full-width ％ into %
_LEADING_SIGNS = "±+"  # “±2” is how a band is written; it means the same as 2


class SettingsInvalid(ValueError):
    """Fields that cannot be saved: .problems maps a field ("user_name", "approx_band" …) to a Chinese message."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        self.message = "\n".join(self.problems.values())
        super().__init__(self.message)


@dataclass(frozen=True)
class ProgramSettings:
    """What the settings dialog shows: the stored name ("" = none, the login name is used) and the rules."""

    user_name: str
    login_name: str
    status: StatusSettings

    @property
    def effective_user(self) -> str:
        return self.user_name or self.login_name


def load_settings(conn: sqlite3.Connection) -> ProgramSettings:
    """The settings as stored (a missing or unreadable monitoring value shows its default)."""
    return ProgramSettings(stored_user_name(conn), login_name(), load_status_settings(conn))


def percent_text(fraction: float) -> str:
    """A stored fraction as the percentage typed on screen: 0.02 → "2", 0.025 → "2.5", 0.95 → "95"."""
    text = f"{round(fraction * 100, 6):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def parse_percent(name: str, text: str | None) -> float:
    """The fraction a percentage typed for setting `name` means ("2", "2.5 %", "±2", "２％" → 0.02 …);
    SettingsInvalid names the setting and its limits when the text is empty, not a number or out of range."""
    low, high, label = SETTING_LIMITS[name]
    cleaned = unicodedata.normalize("NFKC", text or "").strip().rstrip(_PERCENT_SIGNS).strip()
    cleaned = cleaned.lstrip(_LEADING_SIGNS).strip()
    if not cleaned:
        raise SettingsInvalid({name: f"请填写{label}（百分数）"})
    try:
        percent = float(cleaned)
    except ValueError:
        percent = math.nan
    if not math.isfinite(percent):  # float() also reads “nan” and “inf”, which are no percentage either
        raise SettingsInvalid({name: f"{label}须是数字（百分数，如 2 或 2.5），不能是“{cleaned}”"})
    if not low * 100 <= percent <= high * 100:
        limits = f"{percent_text(low)}% 到 {percent_text(high)}%"
        raise SettingsInvalid({name: f"{label}应在 {limits} 之间，现在是 {cleaned}%"})
    return round(percent / 100, 12)  # 2.3 % is 0.023, not 0.023000000000000003


def check_settings(
    conn: sqlite3.Connection, user_name: str | None, status_percent: Mapping[str, str]
) -> tuple[str, dict[str, float]]:
    """Read and check what the dialog holds: the name as it will be stored, and the monitoring rules that
    differ from the stored ones (as fractions). Raises SettingsInvalid with every field's problem."""
    problems: dict[str, str] = {}
    try:
        name = check_user_name(user_name)
    except UserNameInvalid as exc:
        problems[USER_NAME] = exc.message
        name = ""
    current = load_status_settings(conn)
    changed: dict[str, float] = {}
    for field, text in status_percent.items():
        if field not in SETTING_KEYS:
            raise SettingsInvalid({field: f"未知的设置项“{field}”"})
        try:
            value = parse_percent(field, text)
        except SettingsInvalid as exc:
            problems.update(exc.problems)
            continue
        if not math.isclose(value, getattr(current, field), rel_tol=0, abs_tol=1e-12):
            changed[field] = value
    if not any(field in problems for field in status_percent):  # the order needs every ratio readable
        try:
            check_status_settings(current, **changed)
        except MonitoringError as exc:
            problems[exc.field or STATUS_FIELDS[0]] = exc.message
    if problems:
        raise SettingsInvalid(problems)
    return name, changed


def save_settings(
    conn: sqlite3.Connection, user_name: str | None, status_percent: Mapping[str, str]
) -> OpChanges:
    """Save the user's name ("" = use the login name) and the monitoring rules (percentages as typed, by
    field name; fields left out keep their values) in one transaction, after checking all of them.

    Only what differs from the file is written. Returns settings=True when anything changed, and plans=True
    when a monitoring rule did (every status is then judged again). Raises SettingsInvalid, writing nothing.
    """
    name, changed = check_settings(conn, user_name, status_percent)
    with atomic(conn):
        changes = set_current_user(conn, name)
        if changed:
            changes = changes | save_status_settings(conn, **changed) | OpChanges(settings=True)
    return changes
