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


# After the plan library (Ctrl+1), in the order of a clerk's and a statistician's year.
PAGES: tuple[PageSpec, ...] = (
    PageSpec("entry", "数据填报", "desktop.ui.entry.form_page", "FormEntryPage", "Ctrl+2"),
    PageSpec("proxy", "代报", "desktop.ui.entry.proxy_page", "ProxyGridPage", "Ctrl+3"),
    PageSpec("projects", "重点项目", "desktop.ui.projects.projects_page", "ProjectsPage", "Ctrl+4"),
    PageSpec("monitoring", "规划监测", "desktop.ui.monitoring.monitoring_page", "MonitoringPage", "Ctrl+5"),
    PageSpec("scorecard", "乡镇记分卡", "desktop.ui.monitoring.scorecard_page", "ScorecardPage", "Ctrl+6"),
    PageSpec("returns", "报表", "desktop.ui.returns.returns_page", "ReturnsPage", "Ctrl+7"),
)
