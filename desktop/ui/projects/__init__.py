"""The project register: ProjectsPage (the page), ProjectDialog (one project and its milestones).

Modules are imported when asked for, so importing this package costs nothing at start-up.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any


def demo_pages(conn: sqlite3.Connection, db_path: Path | str, runner: Any) -> list[tuple[str, Any]]:
    """The pages to render for the screenshot command: ('projects', the register with the county plan chosen)."""
    from desktop.store.plans import list_plans
    from desktop.ui.projects.projects_page import ProjectsPage

    page = ProjectsPage(conn, db_path, runner)
    county = next((p for p in list_plans(conn) if p.level == "county"), None)
    if county is not None:
        page.select_plan(county.id)
    return [("projects", page)]
