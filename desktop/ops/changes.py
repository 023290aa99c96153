"""What a write changed, so screens refresh only what they show (Anki's OpChanges habit)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OpChanges:
    values: bool = False
    org_units: bool = False
    plans: bool = False
    projects: bool = False
    returns: bool = False
    settings: bool = False  # the program's settings (the user's name, the monitoring rules)

    def __or__(self, other: OpChanges) -> OpChanges:
        return OpChanges(**{k: getattr(self, k) or getattr(other, k) for k in self.__dataclass_fields__})

    @property
    def any(self) -> bool:
        return any(getattr(self, k) for k in self.__dataclass_fields__)
