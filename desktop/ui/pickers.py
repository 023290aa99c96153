"""The pickers at the top of a page (plan, year, org unit, form, period): filling them and choosing in them.

A page refills its pickers on every refresh; the helpers here keep the user's choice when it is still offered
and send no currentIndexChanged while filling, so the page recomputes once, after all its pickers are filled.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from desktop.store.orgunits import OrgUnit
from desktop.store.plans import Plan


def buddy_label(text: str, widget: QWidget) -> QLabel:
    """A label whose &-shortcut moves the focus to `widget`."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


def picker_row(pickers: Iterable[tuple[str, QComboBox, int]], spacing: int = 12) -> QHBoxLayout:
    """Labelled pickers in a row: (label, picker, the picker's stretch), with room after each for what follows."""
    row = QHBoxLayout()
    for text, combo, stretch in pickers:
        row.addWidget(buddy_label(text, combo))
        row.addWidget(combo, stretch)
        row.addSpacing(spacing)
    return row


def current_int(combo: QComboBox) -> int | None:
    data = combo.currentData()
    return int(data) if data is not None else None


def select_item(combo: QComboBox, data: object) -> bool:
    """Choose the item carrying `data`; False (and the choice left alone) if there is none."""
    index = combo.findData(data) if data is not None else -1
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def select_or_first(combo: QComboBox, data: object) -> None:
    """Choose the item carrying `data`, else the first item (none if the picker is empty)."""
    if not select_item(combo, data):
        combo.setCurrentIndex(0 if combo.count() else -1)


def refill(combo: QComboBox, items: Iterable[tuple[str, object]], wanted: object) -> None:
    """Replace the items (text, data) and choose `wanted` if offered, else the first, without signalling."""
    with QSignalBlocker(combo):
        combo.clear()
        for text, data in items:
            combo.addItem(text, data)
        select_or_first(combo, wanted)


def preferred_plan(plans: list[Plan]) -> Plan | None:
    """The plan to show first: the county's own plan (what a county bureau monitors), else the first listed."""
    return next((p for p in plans if p.level == "county"), plans[0] if plans else None)


def fill_plans(combo: QComboBox, plans: list[Plan], label: Callable[[Plan], str]) -> None:
    """Offer the plans; keep the chosen one, else choose the preferred plan."""
    keep = current_int(combo)
    first = preferred_plan(plans)
    wanted = keep if any(p.id == keep for p in plans) else (first.id if first else None)
    refill(combo, [(label(p), p.id) for p in plans], wanted)


def fill_years(combo: QComboBox, conn: sqlite3.Connection, plan: Plan | None) -> None:
    """Offer the years worth monitoring for a plan, newest first; keep the chosen year, else the plan's default."""
    # Imported here: the plan library imports this module at start-up and needs none of ops.monitoring.
    from desktop.ops.monitoring import default_year, monitoring_years

    keep = current_int(combo)
    years = monitoring_years(conn, plan) if plan is not None else []
    wanted = keep if keep in years else (default_year(conn, plan) if plan is not None else None)
    refill(combo, [(f"{year}年", year) for year in reversed(years)], wanted)


def unit_items(units: Iterable[OrgUnit]) -> list[tuple[str, int]]:
    """Org units as picker items, indented by level (the county by its full name, the others by their short one)."""
    return [("　" * (u.level - 1) + (u.name if u.level == 1 else u.display_name), u.id) for u in units]


def nearest_offered(
    units: dict[int, OrgUnit], unit_id: int, offered: Callable[[int], bool]
) -> OrgUnit | None:
    """The unit, or the nearest unit above it, that a page offers (the org tree reaches below what pages list)."""
    current = units.get(unit_id)
    while current is not None and not offered(current.id):
        current = units.get(current.parent_id) if current.parent_id is not None else None
    return current


def select_nearest_unit(combo: QComboBox, units: dict[int, OrgUnit], unit_id: int) -> bool:
    """Choose the unit in a unit picker, or the nearest unit above it that the picker offers."""
    found = nearest_offered(units, unit_id, lambda i: combo.findData(i) >= 0)
    return found is not None and select_item(combo, found.id)
