"""The pages of the main window, in tab order, and the contract every page follows.

A page is a QWidget built as `Page(conn, db_path, runner)` with:
- `data_changed = Signal(object)`: emitted with an OpChanges after any write it made;
- `refresh(changes=None)`: re-read what it shows (None means anything may have changed);
- `set_org_unit(unit_id)`: follow the org tree's selection.
Pages are imported and built the first time their tab is opened, so none of their imports (pyqtgraph,
openpyxl …) weighs on start-up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    key: str
    title: str
    module: str
    cls: str
    shortcut: str = ""


PAGES: tuple[PageSpec, ...] = ()
