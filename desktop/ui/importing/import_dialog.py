"""The import dialog: pick a workbook or CSV, see what it would change and every error, then apply it at once.

Pick a file → the preview (desktop.ops.import_values.preview_import) runs in the task runner, with progress and
Cancel → the summary, the errors (sheet / row / cell / field, filterable) and the values it would write (new,
changed old → new, unchanged) → 导入 applies it in one transaction after a backup (disabled while there are
errors) → the result is shown in the dialog and data_changed is emitted. Nothing is written before 导入.
Form-layout sheets that do not name their unit or period take the ones chosen here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.io.value_workbook import EMPTY, FORM, LONG, WorkbookError
from desktop.ops.backups import BackupError
from desktop.ops.import_values import (
    CHANGED,
    KIND_LABELS,
    NEW,
    UNCHANGED,
    ImportPreview,
    ImportRefused,
    ImportResult,
    apply_import,
    preview_import,
)
from desktop.ops.users import current_user
from desktop.store import orgunits
from desktop.ui.importing.import_models import (
    FieldRole,
    ImportChangesModel,
    ImportFilterProxyModel,
    ImportProblemsModel,
    KindRole,
)
from desktop.ui.qt_setup import chinese_locale

_BANNER = {
    "info": "background: #eef3fb; color: #1f3f66; border: 1px solid #c9d8ee;",
    "ok": "background: #e5f3e8; color: #1e5b2e; border: 1px solid #b9dcc2;",
    "error": "background: #fde8e6; color: #8a1f15; border: 1px solid #f1bcb6;",
}
_LAYOUT_NAMES = {LONG: "长表", FORM: "报表格式"}
# .xls/.et are offered too: a web system's "xls" is often text and is read; a real one gets a clear message.
FILE_FILTER = (
    "数据文件 (*.xlsx *.xlsm *.xls *.et *.csv *.txt);;Excel 工作簿 (*.xlsx *.xlsm *.xls);;"
    "CSV 文件 (*.csv *.txt);;所有文件 (*)"
)


def _table(model) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 10)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    view.setStyleSheet("QTableView { gridline-color: #e1e4e8; }")
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    return view


class ImportDialog(QDialog):
    """Import values from a file. Built like a page: (conn, db_path, runner, parent); emits data_changed."""

    data_changed = Signal(object)
    preview_ready = Signal(object)
    import_finished = Signal(object)

    def __init__(
        self,
        conn: sqlite3.Connection,
        db_path: Path | str | None,
        runner,
        parent: QWidget | None = None,
        *,
        user: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path) if db_path is not None else None
        self._runner = runner
        # The name the entry screens record (the program's setting, else the login), so an import's audit
        # rows carry the same name as the clerk's own edits.
        self._user = user or current_user(conn)
        self._locale = chinese_locale()
        self._path: Path | None = None
        self.preview: ImportPreview | None = None
        self.result: ImportResult | None = None
        self._busy = False
        self.changes_model = ImportChangesModel(self)
        self.changes_proxy = ImportFilterProxyModel(KindRole, self)
        self.changes_proxy.setSourceModel(self.changes_model)
        self.problems_model = ImportProblemsModel(self)
        self.problems_proxy = ImportFilterProxyModel(FieldRole, self)
        self.problems_proxy.setSourceModel(self.problems_model)
        self._build()
        self._fill_units()
        self._update_state()
        self.resize(1080, 700)

    # --- construction ------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.setWindowTitle(self.tr("导入数据"))
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.file_edit.setPlaceholderText(self.tr("选择 Excel 工作簿（.xlsx）或 CSV 文件"))
        self.file_edit.setAccessibleName(self.tr("导入文件"))
        self.choose_button = QPushButton(self.tr("选择文件(&O)…"))
        self.choose_button.clicked.connect(self.choose_file)
        file_label = QLabel(self.tr("文件："))
        file_label.setBuddy(self.choose_button)
        file_row = QHBoxLayout()
        file_row.addWidget(file_label)
        file_row.addWidget(self.file_edit, 1)
        file_row.addWidget(self.choose_button)

        self.unit_combo = QComboBox()
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.unit_combo.setMinimumContentsLength(18)
        self.period_edit = QLineEdit()
        self.period_edit.setPlaceholderText(self.tr("如 2024、2024Q1"))
        self.period_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("中") * 9)
        self.recheck_button = QPushButton(self.tr("重新检查(&R)"))
        self.recheck_button.clicked.connect(self.recheck)
        defaults_row = QHBoxLayout()
        hint = QLabel(self.tr("报表格式的工作表未写明时，使用　单位："))
        hint.setBuddy(self.unit_combo)
        defaults_row.addWidget(hint)
        defaults_row.addWidget(self.unit_combo)
        period_label = QLabel(self.tr("报告期："))
        period_label.setBuddy(self.period_edit)
        defaults_row.addWidget(period_label)
        defaults_row.addWidget(self.period_edit)
        defaults_row.addWidget(self.recheck_button)
        defaults_row.addStretch(1)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setStyleSheet("font-weight: bold;")
        self.sheets_label = QLabel()
        self.sheets_label.setWordWrap(True)
        self.sheets_label.setStyleSheet("color: #555555;")

        self.problems_view = _table(self.problems_proxy)
        self.problems_view.setAccessibleName(self.tr("错误"))
        header = self.problems_view.horizontalHeader()
        char = self.fontMetrics().horizontalAdvance("中")
        for column, chars in ((0, 7), (1, 3), (2, 4), (3, 6)):
            header.resizeSection(column, chars * char + 16)
        header.setSectionResizeMode(ImportProblemsModel.COL_MESSAGE, QHeaderView.ResizeMode.Stretch)
        self.field_combo = QComboBox()
        self.field_combo.currentIndexChanged.connect(self._filter_problems)
        self.problem_filter = QLineEdit()
        self.problem_filter.setPlaceholderText(self.tr("筛选错误"))
        self.problem_filter.setClearButtonEnabled(True)
        self.problem_filter.textChanged.connect(self._filter_problems)
        problems_page = QWidget()
        problems_layout = QVBoxLayout(problems_page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("字段：")))
        bar.addWidget(self.field_combo)
        bar.addWidget(self.problem_filter, 1)
        problems_layout.addLayout(bar)
        problems_layout.addWidget(self.problems_view, 1)

        self.changes_view = _table(self.changes_proxy)
        self.changes_view.setAccessibleName(self.tr("将写入的数值"))
        header = self.changes_view.horizontalHeader()
        for column, chars in ((0, 3), (1, 6), (2, 3), (3, 9), (4, 13), (5, 6), (6, 6), (7, 6)):
            header.resizeSection(column, chars * char + 16)
        header.setSectionResizeMode(ImportChangesModel.COL_COMMENT, QHeaderView.ResizeMode.Stretch)
        self.kind_combo = QComboBox()
        self.kind_combo.addItem(self.tr("全部"), None)
        for kind in (NEW, CHANGED, UNCHANGED):
            self.kind_combo.addItem(self.tr(KIND_LABELS[kind]), kind)
        self.kind_combo.currentIndexChanged.connect(self._filter_changes)
        self.change_filter = QLineEdit()
        self.change_filter.setPlaceholderText(self.tr("筛选单位、数据项"))
        self.change_filter.setClearButtonEnabled(True)
        self.change_filter.textChanged.connect(self._filter_changes)
        changes_page = QWidget()
        changes_layout = QVBoxLayout(changes_page)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("变化：")))
        bar.addWidget(self.kind_combo)
        bar.addWidget(self.change_filter, 1)
        changes_layout.addLayout(bar)
        changes_layout.addWidget(self.changes_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(problems_page, "")
        self.tabs.addTab(changes_page, "")

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.hide()

        self.apply_button = QPushButton(self.tr("导入(&A)"))
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        self.close_button = QPushButton(self.tr("关闭"))
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        self.user_label = QLabel(self.tr("导入人：%1").replace("%1", self._user))
        self.user_label.setStyleSheet("color: #555555;")
        buttons.addWidget(self.user_label)
        buttons.addStretch(1)
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(defaults_row)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.sheets_label)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.banner)
        layout.addLayout(buttons)

    def _fill_units(self) -> None:
        self.unit_combo.addItem(self.tr("（不指定）"), None)
        for unit in orgunits.list_org_units(self._conn):
            self.unit_combo.addItem(f"{unit.display_name}　{unit.code}", unit.code)

    # --- public API --------------------------------------------------------------------------------------

    def set_default_unit(self, unit_id: int) -> None:
        """Preselect the unit for form sheets that name none (the main window's current unit)."""
        unit = orgunits.get_org_unit(self._conn, unit_id)
        if unit is not None:
            self.unit_combo.setCurrentIndex(max(self.unit_combo.findData(unit.code), 0))

    def choose_file(self) -> None:
        start = str(self._path.parent) if self._path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, self.tr("选择要导入的文件"), start, self.tr(FILE_FILTER))
        if path:
            self.load_file(path)

    def load_file(self, path: Path | str):
        """Check path in the background; the preview appears when it is done (preview_ready)."""
        self._path = Path(path)
        self.file_edit.setText(str(self._path))
        return self.recheck()

    def recheck(self):
        if self._path is None or self._busy:
            return None
        path, unit, period = (
            self._path,
            self.unit_combo.currentData(),
            self.period_edit.text().strip() or None,
        )
        self.preview, self.result = None, None
        self._show_preview(None)
        self._set_banner("info", self.tr("正在检查“%1”…").replace("%1", path.name))
        self._busy = True
        self._update_state()
        return self._runner.run(
            lambda conn, progress: preview_import(
                conn, path, unit_code=unit, period=period, progress=progress
            ),
            title=self.tr("检查导入文件"),
            on_done=self._preview_done,
            on_error=self._preview_failed,
            on_cancelled=self._preview_cancelled,
        )

    def apply(self):
        """Write the previewed values (one transaction, after a backup); the result appears in the dialog."""
        preview = self.preview
        if preview is None or not preview.can_apply or self._busy or self.result is not None:
            return None
        user = self._user
        self._busy = True
        self._set_banner("info", self.tr("正在导入…"))
        self._update_state()
        return self._runner.run(
            lambda conn, progress: apply_import(conn, preview, user, progress),
            title=self.tr("导入数据"),
            on_done=self._applied,
            on_error=self._apply_failed,
            on_cancelled=self._apply_cancelled,
        )

    def reject(self) -> None:
        # Closing mid-way would delete the dialog under the task still running: its result (and the
        # data_changed the screens refresh from) would be lost, and a traceback shown instead.
        if self._busy:
            self._set_banner("info", self.tr("正在处理，请等它完成（或在进度窗口中点“取消”）后再关闭。"))
            return
        super().reject()

    def closeEvent(self, event) -> None:
        if self._busy:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)

    # --- results -----------------------------------------------------------------------------------------

    def _preview_done(self, preview: ImportPreview) -> None:
        self._busy = False
        self.preview = preview
        self._show_preview(preview)
        if preview.errors:
            self._set_banner(
                "error",
                self.tr("没有写入任何数据。请在文件中改正上面列出的错误并保存，再点“重新检查”。"),
            )
        elif not preview.changes:
            # Not "the same as stored": there is nothing in the file to compare (only a header, or blanks).
            text = self.tr("文件中没有可导入的数值。")
            if preview.blank_values:
                text += self.tr("%1 行的数值单元格是空的，已跳过（导入从不删除已有数值）。").replace(
                    "%1", self._locale.toString(preview.blank_values)
                )
            self._set_banner("info", text)
        elif not preview.can_apply:
            self._set_banner("info", self.tr("文件中的数值与库中已有的相同，没有需要导入的内容。"))
        else:
            self.banner.hide()
        self._update_state()
        self.preview_ready.emit(preview)

    def _preview_failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_state()
        if isinstance(error, WorkbookError):
            self._set_banner("error", self.tr("无法读取文件：%1").replace("%1", error.message))
            return
        raise error

    def _preview_cancelled(self) -> None:
        self._busy = False
        self._set_banner("info", self.tr("已取消检查。"))
        self._update_state()

    def _applied(self, result: ImportResult) -> None:
        self._busy = False
        self.result = result
        text = result.summary()
        if result.backup_path is not None:
            text += self.tr("导入前的数据已备份为“%1”。").replace("%1", result.backup_path.name)
        self._set_banner("ok", text)
        self._update_state()
        self.import_finished.emit(result)
        if result.changes.any:
            self.data_changed.emit(result.changes)

    def _apply_failed(self, error: BaseException) -> None:
        self._busy = False
        self._update_state()
        if isinstance(error, ImportRefused | BackupError):
            self._set_banner("error", error.message)
            return
        raise error

    def _apply_cancelled(self) -> None:
        self._busy = False
        self._set_banner("info", self.tr("已取消导入，没有写入任何数据。"))
        self._update_state()

    # --- display -----------------------------------------------------------------------------------------

    def _set_banner(self, tone: str, text: str) -> None:
        self.banner.setStyleSheet(f"QLabel {{ {_BANNER[tone]} padding: 8px; border-radius: 3px; }}")
        self.banner.setText(text)
        self.banner.show()

    def _show_preview(self, preview: ImportPreview | None) -> None:
        self.changes_model.load(preview.changes if preview else [])
        self.problems_model.load(preview.errors if preview else [])
        with QSignalBlocker(self.field_combo):
            self.field_combo.clear()
            self.field_combo.addItem(self.tr("全部"), None)
            for field in self.problems_model.fields():
                self.field_combo.addItem(field, field)
        self._filter_problems()
        self._filter_changes()
        loc = self._locale
        errors = len(preview.errors) if preview else 0
        self.tabs.setTabText(0, self.tr("错误 (%1)").replace("%1", loc.toString(errors)))
        writes = preview.new_count + preview.changed_count if preview else 0
        self.tabs.setTabText(1, self.tr("将写入的数值 (%1)").replace("%1", loc.toString(writes)))
        if preview is None:
            self.summary_label.setText("")
            self.sheets_label.setText("")
            return
        self.tabs.setCurrentIndex(0 if errors else 1)
        self.summary_label.setText(preview.summary())
        self.summary_label.setStyleSheet(f"font-weight: bold; color: {'#8a1f15' if errors else '#1f2d3d'};")
        self.sheets_label.setText(self._sheets_text(preview))

    def _sheets_text(self, preview: ImportPreview) -> str:
        parts = []
        for sheet in preview.sheets:
            if sheet.layout == EMPTY:
                continue
            if sheet.layout in _LAYOUT_NAMES:
                detail = self.tr("%1，%2 行数据").replace("%1", self.tr(_LAYOUT_NAMES[sheet.layout]))
                detail = detail.replace("%2", self._locale.toString(sheet.records))
            else:
                detail = sheet.note or self.tr("已跳过")
            parts.append(f"{sheet.name}（{detail}）")
        text = self.tr("工作表：") + "；".join(parts)
        if preview.encoding:
            text += self.tr("　文字编码：%1").replace("%1", preview.encoding.upper().replace("-SIG", " BOM"))
        return text

    def _filter_problems(self, *_args) -> None:
        self.problems_proxy.set_filter(self.field_combo.currentData(), self.problem_filter.text())

    def _filter_changes(self, *_args) -> None:
        self.changes_proxy.set_filter(self.kind_combo.currentData(), self.change_filter.text())

    def _update_state(self) -> None:
        preview = self.preview
        can_apply = bool(preview and preview.can_apply and not self._busy and self.result is None)
        self.apply_button.setEnabled(can_apply)
        if preview is not None and preview.errors:
            self.apply_button.setToolTip(self.tr("文件中有错误，改正后重新检查才能导入"))
        elif preview is not None and not preview.changes:
            self.apply_button.setToolTip(self.tr("文件中没有可导入的数值"))
        elif preview is not None and not preview.can_apply and self.result is None:
            self.apply_button.setToolTip(self.tr("文件中的数值与库中相同，没有需要导入的内容"))
        else:
            self.apply_button.setToolTip("")
        writes = preview.new_count + preview.changed_count if can_apply and preview else 0
        label = (
            self.tr("导入 %1 个值(&A)").replace("%1", self._locale.toString(writes))
            if writes
            else self.tr("导入(&A)")
        )
        self.apply_button.setText(label)
        for widget in (
            self.choose_button,
            self.recheck_button,
            self.unit_combo,
            self.period_edit,
            self.close_button,
        ):
            widget.setEnabled(not self._busy)
        self.recheck_button.setEnabled(not self._busy and self._path is not None)
