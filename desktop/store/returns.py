"""Settings of the report templates: overrides of a template's identity block (表号, 制定机关, 批准机关,
批准文号, 有效期至), stored as setting rows keyed template.<id>.<field>, since editions change more often than
the program is updated. Callers hold the transaction (desktop.store.db.atomic).
"""

from __future__ import annotations

import sqlite3

SETTING_PREFIX = "template."


def template_setting_key(template_id: str, field: str) -> str:
    return f"{SETTING_PREFIX}{template_id}.{field}"


def list_template_settings(conn: sqlite3.Connection, template_id: str) -> dict[str, str]:
    """{field: value} of every stored override of one template (setting keys template.<id>.<field>)."""
    prefix = template_setting_key(template_id, "")
    rows = conn.execute(
        "SELECT key, value FROM setting WHERE substr(key, 1, ?) = ?", (len(prefix), prefix)
    ).fetchall()
    return {r[0][len(prefix) :]: r[1] for r in rows}


def delete_setting(conn: sqlite3.Connection, key: str) -> bool:
    """Remove one setting; True when it existed."""
    return conn.execute("DELETE FROM setting WHERE key = ?", (key,)).rowcount > 0
