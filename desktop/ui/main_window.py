"""The main window: org units on the left, the program's pages in tabs on the right.

Pages (plan library, data entry, monitoring, returns …) follow one contract (desktop.ui.pages): they are built
with the connection, the database path and the task runner; they emit `data_changed(OpChanges)` after a write;
the window re-emits it and every page refreshes from it (Anki's habit: one signal, screens refresh from what
changed). Pages other than the plan library are built the first time their tab is opened, so start-up pays
only for what is shown. Switching to another database file is the composition root's job (it owns the
single-instance lock), so the window only asks for it.
"""

from __future__ import annotations

import importlib
import sqlite3
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop import APP_SHORT_NAME_ZH
from desktop.store.db import get_setting
from desktop.store.indicators import list_indicators
from desktop.store.orgunits import list_org_units
from desktop.store.plans import list_plans
from desktop.ui.models.org_unit_tree_model import OrgUnitTreeModel
from desktop.ui.pages import PAGES, PageSpec
from desktop.ui.plan_library_page import PlanLibraryPage
from desktop.ui.qt_setup import chinese_locale

DEFAULT_SIZE = (1280, 800)
DEMO_BANNER_STYLE = (
    "QLabel#demoBanner { background: #ffe58f; color: #5c4400; border-bottom: 1px solid #e6c65c;"
    " padding: 6px 12px; }"
)
_PANEL_TITLE_STYLE = "font-weight: bold;"


class MainWindow(QMainWindow):
    data_changed = Signal(object)  # an OpChanges, or None for "everything may have changed"
    database_open_requested = Signal(str)
    database_restored = Signal(str)  # the file was overwritten from a backup: reopen (and migrate) it
    org_unit_selected = Signal(int)
    plan_selected = Signal(int)

    def __init__(self, conn: sqlite3.Connection, db_path: Path | str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path)
        self._locale = chinese_locale()
        self._demo = False
        self._about = None
        self._unit_id: int | None = None
        self._unit_count = 0
        self._runner = None  # built with the first page that needs it (concurrent.futures is not free)
        self.pages: dict[str, QWidget] = {}
        self._specs: list[PageSpec] = []

        self.org_model = OrgUnitTreeModel(self)
        self._build_widgets()
        self._build_actions()
        self.data_changed.connect(self.refresh)
        self.resize(*DEFAULT_SIZE)
        self._refresh_frame(None)  # the plan page loaded itself; loading it twice would double start-up work

    # --- construction ------------------------------------------------------------------------------------

    def _build_widgets(self) -> None:
        self.demo_banner = QLabel(
            self.tr(
                "<b>示例数据</b>　当前打开的是示例县的演示数据库，其中的数字是虚构的，"
                "仅供熟悉功能，请勿用于上报。"
            )
        )
        self.demo_banner.setObjectName("demoBanner")
        self.demo_banner.setStyleSheet(DEMO_BANNER_STYLE)
        self.demo_banner.setWordWrap(True)

        self.tree_view = QTreeView()
        self.tree_view.setModel(self.org_model)
        self.tree_view.setUniformRowHeights(True)
        self.tree_view.setAlternatingRowColors(True)
        self.tree_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree_view.header().setStretchLastSection(False)
        self.tree_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree_view.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree_view.selectionModel().currentRowChanged.connect(self._on_unit_changed)
        self.tree_view.setAccessibleName(self.tr("机构树"))

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(8, 8, 4, 8)
        tree_title = QLabel(self.tr("机构"))
        tree_title.setStyleSheet(_PANEL_TITLE_STYLE)
        tree_title.setBuddy(self.tree_view)
        left_layout.addWidget(tree_title)
        left_layout.addWidget(self.tree_view)

        self.plan_page = PlanLibraryPage(self._conn, self._db_path, None)
        self.plan_page.plan_selected.connect(self.plan_selected)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # One Tab stop for the page tabs (its tab bar, where arrow keys switch pages), not two.
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._specs = [PageSpec("plans", "规划库", "", "", "Ctrl+1"), *PAGES]
        self.tabs.addTab(self.plan_page, self.tr("规划库"))
        self.pages["plans"] = self.plan_page
        for spec in PAGES:
            self.tabs.addTab(QWidget(), self.tr(spec.title))  # a placeholder until the tab is first opened
        self.tabs.currentChanged.connect(self._ensure_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([290, DEFAULT_SIZE[0] - 290])

        central = QWidget()
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.setSpacing(0)
        central_layout.addWidget(self.demo_banner)
        central_layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.setTabOrder(self.tree_view, self.tabs.tabBar())
        self.setTabOrder(self.tabs.tabBar(), self.plan_page.plan_combo)

        self.path_label = QLabel()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.counts_label = QLabel()
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().addPermanentWidget(self.counts_label)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("文件(&F)"))
        self.open_action = QAction(self.tr("打开数据库(&O)…"), self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_database)
        file_menu.addAction(self.open_action)
        file_menu.addSeparator()
        self.import_action = QAction(self.tr("导入数据(&I)…"), self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.show_import)
        file_menu.addAction(self.import_action)
        self.backup_action = QAction(self.tr("备份与恢复(&B)…"), self)
        self.backup_action.triggered.connect(self.show_backups)
        file_menu.addAction(self.backup_action)
        self.settings_action = QAction(self.tr("设置(&S)…"), self)
        self.settings_action.setShortcut(QKeySequence("Ctrl+,"))
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.show_settings)
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        self.quit_action = QAction(self.tr("退出(&X)"), self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)
        file_menu.addAction(self.quit_action)

        self.find_action = QAction(self.tr("筛选指标"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_filter)
        self.addAction(self.find_action)

        help_menu = self.menuBar().addMenu(self.tr("帮助(&H)"))
        self.about_action = QAction(self.tr("关于(&A)"), self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.about_action.triggered.connect(self.show_about)
        help_menu.addAction(self.about_action)

        # Ctrl+1 … Ctrl+9 open the pages, in tab order.
        for index, spec in enumerate(self._specs):
            if spec.shortcut:
                action = QAction(self.tr(spec.title), self)
                action.setShortcut(QKeySequence(spec.shortcut))
                action.triggered.connect(lambda _=False, i=index: self.tabs.setCurrentIndex(i))
                self.addAction(action)

    # --- public API ----------------------------------------------------------------------------------------

    @property
    def conn(self) -> sqlite3.Connection:
        return self._conn

    @property
    def db_path(self) -> Path:
        return self._db_path

    @property
    def runner(self):
        """The background task runner (desktop.ui.task_runner.TaskRunner), created on first use."""
        if self._runner is None:
            from desktop.ui.task_runner import TaskRunner

            self._runner = TaskRunner(self._db_path, self)
        return self._runner

    @property
    def is_demo(self) -> bool:
        return self._demo

    def set_database(self, conn: sqlite3.Connection, db_path: Path | str) -> None:
        """Show another database (the caller closes the previous connection); other pages are rebuilt."""
        self._conn = conn
        self._db_path = Path(db_path)
        if self._runner is not None:
            self._runner.set_database(self._db_path)
        self.plan_page.set_connection(conn)
        for key in [k for k in self.pages if k != "plans"]:
            index = self._page_index(key)
            page = self.pages.pop(key)
            blocked = self.tabs.blockSignals(True)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, QWidget(), self.tr(self._specs[index].title))
            self.tabs.blockSignals(blocked)
            page.deleteLater()
        self._unit_id = None
        self.data_changed.emit(None)

    def refresh(self, changes: object | None = None) -> None:
        """Re-read what the window shows and pass the change on to every page that exists."""
        self._refresh_frame(changes)
        for page in self.pages.values():
            page.refresh(changes)

    def _refresh_frame(self, changes: object | None) -> None:
        """The window's own parts: demo banner, org tree, title and status bar."""
        if changes is not None and not (
            getattr(changes, "org_units", False) or getattr(changes, "plans", False)
        ):
            # Saving a value (every edit a clerk makes) changes nothing shown here; skip the queries.
            return
        self._demo = get_setting(self._conn, "demo") == "1"
        if changes is None or getattr(changes, "org_units", False):
            units = list_org_units(self._conn)
            self._unit_count = len(units)
            self.org_model.load(units)
            self.tree_view.expandToDepth(0)
        self._update_frame(self._unit_count, len(list_plans(self._conn)), len(list_indicators(self._conn)))

    def open_page(self, key: str) -> QWidget:
        """Show the page with this key (building it if needed) and return it."""
        index = self._page_index(key)
        self.tabs.setCurrentIndex(index)
        return self._ensure_page(index)

    def current_plan_id(self) -> int | None:
        return self.plan_page.current_plan_id()

    def select_plan(self, plan_id: int) -> bool:
        return self.plan_page.select_plan(plan_id)

    def focus_filter(self) -> None:
        self.tabs.setCurrentWidget(self.plan_page)
        self.plan_page.focus_filter()

    def show_about(self):
        """Open the About box (window-modal, non-blocking) and return it."""
        from desktop.ui.about_dialog import AboutDialog  # not needed to start: imported when asked for

        if self._about is not None:
            self._about.close()
        self._about = AboutDialog(self._db_path, self)
        self._about.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._about.destroyed.connect(self._forget_about)
        self._about.open()
        return self._about

    def choose_database(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("打开数据库"),
            str(self._db_path.parent),
            self.tr("数据库文件 (*.sqlite *.db);;所有文件 (*)"),
        )
        if path:
            self.database_open_requested.emit(path)

    def show_import(self):
        """文件 → 导入数据…: preview a workbook or CSV, then apply it in one transaction."""
        from desktop.ui.importing.import_dialog import ImportDialog

        dialog = ImportDialog(self._conn, self._db_path, self.runner, self)
        if self._unit_id is not None:
            dialog.set_default_unit(self._unit_id)
        dialog.data_changed.connect(self.data_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_backups(self):
        """文件 → 备份与恢复…: list backups, back up now, restore one."""
        from desktop.ui.backups.restore_dialog import RestoreDialog

        dialog = RestoreDialog(self._db_path, self)
        dialog.restored.connect(lambda path: self.database_restored.emit(str(path)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def show_settings(self):
        """文件 → 设置…: the user's name and the monitoring rules; a save refreshes every page."""
        from desktop.ui.settings_dialog import SettingsDialog  # not needed to start: imported when asked for

        dialog = SettingsDialog(self._conn, self)
        dialog.data_changed.connect(self.data_changed)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def schedule_daily_backup(self, delay_ms: int = 3000) -> None:
        """Soon after start, take the day's automatic backup in the background if one is due."""
        from PySide6.QtCore import QTimer

        def start() -> None:
            from desktop.ops.backups import backup_if_due

            path = self._db_path
            self.runner.run(
                lambda conn, _progress: backup_if_due(conn, path), title="自动备份", show_progress=False
            )

        QTimer.singleShot(delay_ms, start)

    def closeEvent(self, event) -> None:
        if self._runner is not None:
            self._runner.shutdown()
        super().closeEvent(event)

    # --- internals ---------------------------------------------------------------------------------------

    def _page_index(self, key: str) -> int:
        for index, spec in enumerate(self._specs):
            if spec.key == key:
                return index
        raise KeyError(key)

    def _ensure_page(self, index: int) -> QWidget:
        spec = self._specs[index]
        if spec.key in self.pages:
            return self.pages[spec.key]
        page_class = getattr(importlib.import_module(spec.module), spec.cls)
        page = page_class(self._conn, self._db_path, self.runner)
        page.data_changed.connect(self.data_changed)
        if self._unit_id is not None:
            page.set_org_unit(self._unit_id)
        self.pages[spec.key] = page
        blocked = self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, page, self.tr(spec.title))
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(blocked)
        return page

    def _forget_about(self) -> None:
        self._about = None

    def _update_frame(self, units: int, plans: int, indicators: int) -> None:
        title = f"{APP_SHORT_NAME_ZH} — {self._db_path.name}"
        if self._demo:
            title += " — " + self.tr("示例数据")
        self.setWindowTitle(title)
        self.demo_banner.setVisible(self._demo)
        self.path_label.setText(self.tr("数据库：%1").replace("%1", str(self._db_path)))
        loc = self._locale
        self.counts_label.setText(
            self.tr("机构 %1 个　规划 %2 个　指标 %3 个")
            .replace("%1", loc.toString(units))
            .replace("%2", loc.toString(plans))
            .replace("%3", loc.toString(indicators))
        )

    def _on_unit_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        unit = self.org_model.unit_at(current)
        if unit is not None:
            self._unit_id = unit.id
            for page in self.pages.values():
                page.set_org_unit(unit.id)
            self.org_unit_selected.emit(unit.id)
