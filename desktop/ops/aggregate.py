"""A unit's value for an element: its own stored value, or else the roll-up of the units below it.

The demo county and real returns store values at the level that reports them (a township's own total, a
facility's own count), so a stored value always wins and is never added to its children's: adding both would
count a township twice. Where a unit has no value of its own, its children's values are summed (or averaged,
per the element's aggregation), recursively, and the result says how many of the reporting units had data.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop.store import orgunits


@dataclass(frozen=True)
class Resolved:
    value: float | None
    reported: int  # units whose value went into this one (1 when the unit's own value was stored)
    expected: int  # units that could have contributed (leaves under the unit, or 1)
    own: bool  # True when the value is the unit's own stored value

    @property
    def partial(self) -> bool:
        return not self.own and self.reported < self.expected


class UnitTree:
    """The org tree as plain dicts, built once per computation (cheap: a few hundred units)."""

    def __init__(self, units: list[orgunits.OrgUnit]) -> None:
        self.units = {u.id: u for u in units}
        self.children: dict[int, list[int]] = {u.id: [] for u in units}
        for u in units:
            if u.parent_id is not None and u.parent_id in self.children:
                self.children[u.parent_id].append(u.id)

    @classmethod
    def load(cls, conn: sqlite3.Connection) -> UnitTree:
        return cls(orgunits.list_org_units(conn))

    def resolve(
        self, values: Mapping[tuple[int, int], Any], element_id: int, unit_id: int, aggregation: str = "sum"
    ) -> Resolved:
        """The unit's value for element_id from values {(element_id, unit_id): value} (see module docstring)."""
        own = values.get((element_id, unit_id))
        if isinstance(own, int | float) and not isinstance(own, bool):
            return Resolved(float(own), 1, 1, True)
        kids = self.children.get(unit_id, [])
        if not kids or aggregation == "none":
            return Resolved(None, 0, 1, False)
        parts = [self.resolve(values, element_id, kid, aggregation) for kid in kids]
        present = [p for p in parts if p.value is not None]
        reported = sum(p.reported for p in present)
        expected = sum(p.expected for p in parts)
        if not present:
            return Resolved(None, 0, expected, False)
        if aggregation == "average":
            total = sum(p.value for p in present) / len(present)  # type: ignore[misc]
        else:
            total = sum(p.value for p in present)  # type: ignore[misc]
        return Resolved(total, reported, expected, False)
