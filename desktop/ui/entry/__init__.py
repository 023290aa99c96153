"""Data entry screens: the form page (form_page.FormEntryPage) and the 代报 grid (proxy_page.ProxyGridPage).

demo_pages() gives both set up on the demo county, for the screenshot renderer.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtWidgets import QWidget

from desktop.store import elements, orgunits
from desktop.ui.task_runner import TaskRunner

# What the screenshots show: 营丘镇's public health return (rates, denominators' provenance, and the demo's
# keying slip: a blocking error), and 乔官中心卫生院's village clinics (an 'explain' rule waits for its 审核说明).
DEMO_FORM = ("GW-02", "370725102", "2024")
DEMO_PROXY = ("370725101-01", "ZY-03", "2024")


def demo_pages(
    conn: sqlite3.Connection, db_path: Path, runner: TaskRunner | None
) -> list[tuple[str, QWidget]]:
    """[('entry', FormEntryPage), ('proxy', ProxyGridPage)] on a sensible demo selection.

    On a database without the demo county the pages show their defaults (the first form, unit and filer).
    """
    from desktop.ui.entry.form_page import FormEntryPage
    from desktop.ui.entry.proxy_page import ProxyGridPage

    entry = FormEntryPage(conn, Path(db_path), runner)
    data_set, unit, period = DEMO_FORM
    if elements.get_data_set_by_code(conn, data_set) and orgunits.get_org_unit_by_code(conn, unit):
        entry.set_selection(data_set, unit, period)
    proxy = ProxyGridPage(conn, Path(db_path), runner)
    filer, data_set, period = DEMO_PROXY
    if elements.get_data_set_by_code(conn, data_set) and orgunits.get_org_unit_by_code(conn, filer):
        proxy.set_selection(filer, data_set, period)
    return [("entry", entry), ("proxy", proxy)]
