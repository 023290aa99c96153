"""PlanImportDialog: paste a plan's indicator table (or pick an xlsx/text file), check the preview, confirm.

Reading and previewing run in the TaskRunner as the text changes (debounced), so a large paste never freezes
the window; nothing is stored until 导入 is pressed, and then in one transaction (ops.plan_import).
Closing the dialog while a preview runs drops its result (the widgets may already be gone); while the import
runs the dialog stays open — the TaskRunner's own progress dialog offers Cancel, which rolls it back.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.io.plan_table import PlanTableError, read_plan_file, read_plan_text
from desktop.ops.plan_import import (
    ImportPreview,
    ImportResult,
    PlanImportError,
    describe_cell_problem,
    import_plan_table,
    preview_plan_table,
)
from desktop.ui.models.plan_indicator_model import python_data
from desktop.ui.monitoring.plan_import_model import PlanPreviewModel
from desktop.ui.monitoring.style import tr
from desktop.ui.task_runner import TaskRunner

PREVIEW_DELAY_MS = 300


class _MatchDelegate(QStyledItemDelegate):
    """A combo box of the suggested indicators and “新建指标” for the 对应指标 column."""

    def createEditor(self, parent, option, index):
        combo = QComboBox(parent)
        for indicator_id, label in python_data(index, PlanPreviewModel.ChoicesRole) or []:
            combo.addItem(label, indicator_id)
        return combo

    def setEditorData(self, editor, index) -> None:
        position = editor.findData(python_data(index, PlanPreviewModel.ChoiceRole))
        editor.setCurrentIndex(max(position, 0))

    def setModelData(self, editor, model, index) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class PlanImportDialog(QDialog):
    plan_imported = Signal(object)  # ImportResult
    preview_ready = Signal()

    def __init__(self, conn: sqlite3.Connection, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._conn = conn
        self._runner = runner
        self._file: Path | None = None
        self._busy = False
        self._again = False
        self._importing = False
        self._closed = False
        self.result_value: ImportResult | None = None
        self.setWindowTitle(tr("导入规划指标表"))
        self.resize(1180, 760)
        self.model = PlanPreviewModel(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.update_preview)
        self._build()

    def _build(self) -> None:
        intro = QLabel(
            tr(
                "在 Word、WPS 或 Excel 中选中规划的整张指标表（连同表头，如“领域 | 指标 | 2020年 | 2025年”）复制，"
                "粘贴到下面；也可以选择 xlsx 工作簿或文本文件。下方预览每个单元格的解读，"
                "<span style='background:#f6c1c1'>&nbsp;红色&nbsp;</span>为无法识别，"
                "<span style='background:#fff0b3'>&nbsp;黄色&nbsp;</span>为需核对。确认无误后点“导入”。"
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)

        self.paste_edit = QPlainTextEdit()
        self.paste_edit.setPlaceholderText(tr("在此粘贴指标表（Ctrl+V）"))
        self.paste_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.paste_edit.setTabChangesFocus(True)
        self.paste_edit.textChanged.connect(self._text_changed)
        self.paste_button = QPushButton(tr("从剪贴板粘贴(&V)"))
        self.paste_button.clicked.connect(self.paste_from_clipboard)
        self.file_button = QPushButton(tr("选择文件(&F)…"))
        self.file_button.clicked.connect(self.choose_file)
        self.file_label = QLabel()
        self.file_label.setStyleSheet("color: #555555;")

        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText(tr("如：某某县“十四五”卫生健康规划"))
        self.title_edit.textChanged.connect(self._update_buttons)
        self.baseline_spin = QSpinBox()
        self.baseline_spin.setRange(0, 2100)
        self.baseline_spin.setSpecialValueText(tr("按表头"))
        self.baseline_spin.setToolTip(tr("表头只写“基期水平”而未写年份时，在此填写基期年份"))
        self.baseline_spin.valueChanged.connect(lambda _v: self._schedule())
        self.first_year_check = QCheckBox(tr("第一个年份列是基期"))
        self.first_year_check.setChecked(True)
        self.first_year_check.setToolTip(tr("表中没有“基期”列时，把最早的年份列（如“2020年”）当作基期"))
        self.first_year_check.toggled.connect(lambda _v: self._schedule())

        source_row = QHBoxLayout()
        source_row.addWidget(self.paste_button)
        source_row.addWidget(self.file_button)
        source_row.addWidget(self.file_label, 1)

        form = QFormLayout()
        form.addRow(tr("规划名称(&T)："), self.title_edit)
        options = QHBoxLayout()
        options.addWidget(self.baseline_spin)
        options.addSpacing(12)
        options.addWidget(self.first_year_check)
        options.addStretch(1)
        form.addRow(tr("基期年份(&B)："), options)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setWordWrap(True)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(
            False
        )  # Tab goes on to 规划名称 and 导入 instead of through every cell
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.setItemDelegateForColumn(PlanPreviewModel.COL_MATCH, _MatchDelegate(self.table))
        self.table.setStyleSheet("QTableView { gridline-color: #dcdcdc; }")
        self.table.setAccessibleName(tr("导入预览"))
        self.summary_label = QLabel(tr("尚未读取内容。"))
        self.summary_label.setWordWrap(True)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setStyleSheet("color: #8a1f11;")
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.paste_edit, 1)
        top_layout.addLayout(source_row)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.summary_label)
        bottom_layout.addWidget(self.table, 1)
        bottom_layout.addWidget(self.problems_label)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(tr("导入(&S)"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setEnabled(False)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(splitter, 1)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    # --- sources ---------------------------------------------------------------------------------------------

    def paste_from_clipboard(self) -> None:
        text = QApplication.clipboard().text()
        if text:
            self.paste_edit.setPlainText(text)

    def choose_file(self) -> None:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        path, _ = QFileDialog.getOpenFileName(
            self, tr("选择指标表文件"), folder, tr("指标表 (*.xlsx *.txt *.tsv *.csv);;所有文件 (*)")
        )
        if path:
            self.load_file(Path(path))

    def load_file(self, path: Path) -> None:
        """Read path (xlsx or tab-separated text) instead of the pasted text."""
        self._file = Path(path)
        self.file_label.setText(tr("文件：%1").replace("%1", str(self._file)))
        self.update_preview()

    def _text_changed(self) -> None:
        if self.paste_edit.toPlainText().strip():
            self._file = None
            self.file_label.clear()
        self._schedule()

    def _schedule(self) -> None:
        self._timer.start()

    # --- preview ---------------------------------------------------------------------------------------------

    def update_preview(self) -> None:
        """Read the source and preview it in the background (coalescing requests made meanwhile)."""
        self._timer.stop()
        if self._busy:
            self._again = True
            return
        text, path = self.paste_edit.toPlainText(), self._file
        if path is None and not text.strip():
            self._show_preview(None, "")
            return
        year = self.baseline_spin.value() or None
        first = self.first_year_check.isChecked()

        def task(conn: sqlite3.Connection, progress) -> ImportPreview:
            if path is not None:
                table = read_plan_file(path, baseline_year=year, first_year_is_baseline=first)
            else:
                table = read_plan_text(text, baseline_year=year, first_year_is_baseline=first)
            return preview_plan_table(conn, table, progress)

        self._busy = True
        self._runner.run(task, title=tr("识别指标表"), on_done=self._previewed, on_error=self._preview_failed)

    def _settle(self) -> bool:
        self._busy = False
        if self._again:
            self._again = False
            self.update_preview()
            return True
        return False

    def _previewed(self, preview: ImportPreview) -> None:
        if self._closed:  # closed meanwhile (WA_DeleteOnClose may have deleted the model already)
            return
        if not self._settle():
            self._show_preview(preview, "")

    def _preview_failed(self, error: BaseException) -> None:
        if self._closed or self._settle():
            return
        if not isinstance(error, PlanTableError):
            raise error
        self._show_preview(None, error.message)

    def _show_preview(self, preview: ImportPreview | None, problem: str) -> None:
        self.model.load(preview)
        if preview is None:
            self.summary_label.setText(problem or tr("尚未读取内容。"))
            self.problems_label.clear()
        else:
            unreadable, ambiguous = preview.unreadable_cells, preview.ambiguous_cells
            years = "、".join(f"{y}年" for y in preview.table.target_years)
            # Without its year a written baseline cannot be used to measure progress: ask for it.
            base = (
                f"{preview.table.baseline_year}年"
                if preview.table.baseline_year
                else tr("未注明年份，请在下方填写基期年份")
            )
            self.summary_label.setText(
                tr("读到 %1 个指标行（基期 %2，目标年 %3）；%4 行对应已有指标，其余将新建指标；")
                .replace("%1", str(len(preview.rows)))
                .replace("%2", base if preview.table.has_baseline else tr("无"))
                .replace("%3", years)
                .replace("%4", str(preview.matched))
                + tr("无法识别的单元格 %1 个，需核对 %2 个。")
                .replace("%1", str(len(unreadable)))
                .replace("%2", str(len(ambiguous)))
            )
            notes = [describe_cell_problem(r, c) for r, c in unreadable] + list(preview.table.problems)
            self.problems_label.setText("\n".join(notes[:12]) + ("\n…" if len(notes) > 12 else ""))
            self._fit_columns()
        self._update_buttons()
        self.preview_ready.emit()

    def _fit_columns(self) -> None:
        header = self.table.horizontalHeader()
        char = self.table.fontMetrics().horizontalAdvance("中")
        widths = {
            PlanPreviewModel.COL_LINE: 3,
            PlanPreviewModel.COL_SEQ: 3,
            PlanPreviewModel.COL_DOMAIN: 6,
            PlanPreviewModel.COL_NAME: 16,
            PlanPreviewModel.COL_UNIT: 4,
            PlanPreviewModel.COL_NATURE: 4,
            PlanPreviewModel.COL_MATCH: 14,
        }
        for column in range(self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, widths.get(column, 11) * char + 14)
            empty = column in (
                PlanPreviewModel.COL_SEQ,
                PlanPreviewModel.COL_NATURE,
                PlanPreviewModel.COL_DOMAIN,
            )
            self.table.setColumnHidden(column, empty and self.model.column_is_empty(column))
        header.setStretchLastSection(True)
        self.table.resizeRowsToContents()

    def _update_buttons(self) -> None:
        ready = self.model.preview is not None and not self._busy and not self._importing
        self.import_button.setEnabled(ready and bool(self.title_edit.text().strip()))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(not self._importing)

    def done(self, result: int) -> None:
        """accept(), reject(), Esc and the window's close button all end here."""
        if self._importing and result != QDialog.DialogCode.Accepted:
            return  # the plan is being stored in one transaction: closing now would hide whether it was
        self._closed = True
        self._timer.stop()
        super().done(result)

    # --- confirm ---------------------------------------------------------------------------------------------

    def confirm(self) -> None:
        preview = self.model.preview
        title = self.title_edit.text().strip()
        if preview is None or self._importing:  # a second Enter or click while storing stores nothing twice
            return
        if not title:
            QMessageBox.information(self, tr("导入规划"), tr("请先填写规划名称。"))
            self.title_edit.setFocus()
            return
        unreadable = preview.unreadable_cells
        if unreadable:
            answer = QMessageBox.question(
                self,
                tr("有无法识别的单元格"),
                tr("有 %1 个单元格无法识别，导入后这些目标将显示为“无法判断”。仍要导入吗？").replace(
                    "%1", str(len(unreadable))
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.start_import(title)

    def start_import(self, title: str) -> None:
        """Store the previewed plan (in the background, one transaction); plan_imported is emitted after."""
        preview = self.model.preview
        assert preview is not None
        choices = self.model.choices()
        year = self.baseline_spin.value() or None

        def task(conn: sqlite3.Connection, progress) -> ImportResult:
            return import_plan_table(
                conn, preview, title=title, baseline_year=year, choices=choices, progress=progress
            )

        if self._importing:
            return
        self._importing = True
        self._update_buttons()
        self._runner.run(
            task,
            title=tr("导入规划"),
            on_done=self._imported,
            on_error=self._import_failed,
            on_cancelled=self._import_cancelled,
        )

    def _imported(self, result: ImportResult) -> None:
        self._importing = False
        self.result_value = result
        self.plan_imported.emit(result)
        self.accept()

    def _import_cancelled(self) -> None:
        self._importing = False  # rolled back: nothing stored; the preview is still there to import again
        self._update_buttons()

    def _import_failed(self, error: BaseException) -> None:
        self._importing = False
        self._update_buttons()
        if not isinstance(error, PlanImportError):
            raise error
        QMessageBox.warning(self, tr("导入失败"), error.message)
