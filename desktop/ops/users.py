"""Who is using the program: the name recorded in the audit trail and offered when signing a return.

The name lives in the `setting` table under `user_name`; without one, the login name of the PC is used. Every
screen and command reads it through `current_user`, so they all name the same person.
"""

from __future__ import annotations

import getpass
import sqlite3
import unicodedata

from desktop.ops.changes import OpChanges
from desktop.store.db import atomic, get_setting, set_setting

USER_NAME_KEY = "user_name"
MAX_NAME_CHARS = 20
UNSIGNED = "未署名"


class UserNameInvalid(ValueError):
    """A name that cannot be stored; .message is Chinese and says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def login_name() -> str:
    """The login name of the PC (Windows user name), or 未署名 when the environment has none."""
    try:
        return getpass.getuser() or UNSIGNED
    except (OSError, KeyError):  # no login name in the environment (a service account, a container)
        return UNSIGNED


def stored_user_name(conn: sqlite3.Connection) -> str:
    """The name set in the program's settings, or "" when none is set (the login name is then used)."""
    return (get_setting(conn, USER_NAME_KEY) or "").strip()


def current_user(conn: sqlite3.Connection) -> str:
    """Who is keying: the name set in the program's settings, else the login name."""
    return stored_user_name(conn) or login_name()


def check_user_name(text: str | None) -> str:
    """The name as it will be stored (trimmed; "" = use the login name); raise UserNameInvalid when it cannot
    be a person's name: longer than MAX_NAME_CHARS, or with control or invisible characters."""
    name = (text or "").strip()
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        # Tabs, line breaks and zero-width characters would print as gaps or boxes in the return's footer.
        raise UserNameInvalid("姓名中不能含有制表符、换行等控制字符或不可见字符")
    if len(name) > MAX_NAME_CHARS:
        raise UserNameInvalid(f"姓名不能超过 {MAX_NAME_CHARS} 个字，现在是 {len(name)} 个字")
    return name


def set_current_user(conn: sqlite3.Connection, name: str | None) -> OpChanges:
    """Store the user's name (an empty name clears it, so the login name is used again); all or nothing."""
    cleaned = check_user_name(name)
    if cleaned == stored_user_name(conn):
        return OpChanges()
    with atomic(conn):
        if cleaned:
            set_setting(conn, USER_NAME_KEY, cleaned)
        else:
            conn.execute("DELETE FROM setting WHERE key = ?", (USER_NAME_KEY,))
    return OpChanges(settings=True)
