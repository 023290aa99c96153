"""报表: pick a return template, a unit and a period; see the filled return with its check results; export it to
Excel or PDF; import a filled workbook back after checking its differences.

Filling, exporting and importing run in the TaskRunner (off the GUI thread, progress and Cancel when slow);
the page only reads quick lists itself (templates from files, units, periods through an index). A template
past its 有效期至 still exports, under a warning. Follows the page contract of desktop.ui.pages.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSignalBlocker, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.periods import Period
from desktop.io.template_model import ReturnTemplate, format_valid_until
from desktop.ops.changes import OpChanges
from desktop.ops.import_return import (
    ReturnImportPlan,
    ReturnImportResult,
    apply_return_import,
    read_return_file,
)
from desktop.ops.returns import (
    ExportResult,
    FilledReturn,
    ReturnError,
    default_file_name,
    effective_identity,
    eligible_units,
    export_return,
    fill_return,
    list_templates,
    period_choices,
    set_template_identity,
)
from desktop.ops.users import current_user
from desktop.store.orgunits import OrgUnit, list_org_units
from desktop.ui.delegates import PaddedItemDelegate
from desktop.ui.pickers import (
    picker_row,
    refill,
    select_item,
    select_nearest_unit,
    select_or_first,
    unit_items,
)
from desktop.ui.returns.dialogs import (
    ImportReturnDialog,
    TemplateIdentityDialog,
    export_done_box,
    problem_box,
)
from desktop.ui.returns.models import CheckResultsModel, ReturnPreviewModel, tr
from desktop.ui.task_runner import LatestRun, TaskHandle, TaskRunner

WARNING_STYLE = (
    "QLabel#returnsWarning { background: #fff1c2; color: #5c4400; border: 1px solid #e6c65c;"
    " border-radius: 3px; padding: 6px 10px; }"
)
_MUTED_STYLE = "color: #555555;"
_TITLE_STYLE = "font-size: 15px; font-weight: bold;"


class ReturnsPage(QWidget):
    data_changed = Signal(object)
    preview_shown = Signal()  # a filled return is in the preview
    exported = Signal(object)  # ExportResult
    import_planned = Signal(object)  # ReturnImportPlan, shown in the diff dialog
    imported = Signal(object)  # ReturnImportResult

    def __init__(
        self, conn: sqlite3.Connection, db_path: Path, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._db_path = Path(db_path)
        self._runner = runner
        self._templates: dict[str, ReturnTemplate] = {}
        self._template_problems: list[str] = []  # template files left out, named above every return
        self._units: dict[int, OrgUnit] = {}
        self._latest = LatestRun(runner, self.recompute)
        self._last_dir = Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        self.message_box: QMessageBox | None = None
        self._echo: object | None = None
        self.import_dialog: ImportReturnDialog | None = None
        self.preview_model = ReturnPreviewModel(self)
        self.checks_model = CheckResultsModel(self)
        self._build()
        self.refresh()

    # --- construction ----------------------------------------------------------------------------------------

    def _build(self) -> None:
        self.template_combo = QComboBox()
        self.template_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.template_combo.setMinimumContentsLength(24)
        self.template_combo.setAccessibleName(tr("报表"))
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(10)
        self.unit_combo.setAccessibleName(tr("填报单位"))
        self.period_combo = QComboBox()
        self.period_combo.setMinimumContentsLength(9)
        self.period_combo.setAccessibleName(tr("报告期"))
        self.template_combo.currentIndexChanged.connect(self._on_template_changed)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_changed)
        self.period_combo.currentIndexChanged.connect(self.recompute)
        self.identity_button = QPushButton(tr("表头设置(&H)…"))
        self.identity_button.setToolTip(tr("修改表号、制定机关、批准机关、批准文号和有效期至"))
        self.identity_button.clicked.connect(self.open_identity_dialog)

        pickers = picker_row(
            [
                (tr("报表(&R)："), self.template_combo, 3),
                (tr("单位(&U)："), self.unit_combo, 2),
                (tr("报告期(&P)："), self.period_combo, 1),
            ]
        )
        pickers.addWidget(self.identity_button)

        self.warning_label = QLabel()
        self.warning_label.setObjectName("returnsWarning")
        self.warning_label.setStyleSheet(WARNING_STYLE)
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        self.title_label = QLabel()
        self.title_label.setStyleSheet(_TITLE_STYLE)
        self.identity_label = QLabel()
        self.identity_label.setStyleSheet(_MUTED_STYLE)
        self.identity_label.setWordWrap(True)
        self.identity_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # The signer footer as it will print, so the statistician sees whose names go on the return.
        self.signers_label = QLabel()
        self.signers_label.setStyleSheet(_MUTED_STYLE)
        self.signers_label.setWordWrap(True)
        self.signers_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.preview = QTableView()
        self.preview.setModel(self.preview_model)
        self.preview.setAlternatingRowColors(True)
        self.preview.setWordWrap(True)
        self.preview.setTabKeyNavigation(False)
        self.preview.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.preview.verticalHeader().setVisible(False)
        self.preview.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.preview.horizontalHeader().setHighlightSections(False)
        self.preview.setStyleSheet("QTableView { gridline-color: #c8c8c8; }")
        self.preview.setAccessibleName(tr("报表预览"))
        self.preview.setItemDelegate(PaddedItemDelegate(self.preview))

        self.checks_label = QLabel(tr("审核结果"))
        self.checks_label.setStyleSheet("font-weight: bold;")
        self.checks_view = QTableView()
        self.checks_view.setModel(self.checks_model)
        self.checks_view.setWordWrap(True)
        self.checks_view.setTabKeyNavigation(False)
        self.checks_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.checks_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.checks_view.verticalHeader().setVisible(False)
        self.checks_view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.checks_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.checks_view.setAccessibleName(tr("审核结果"))
        self.checks_panel = checks_panel = QWidget()
        checks_layout = QVBoxLayout(checks_panel)
        checks_layout.setContentsMargins(0, 4, 0, 0)
        checks_layout.addWidget(self.checks_label)
        checks_layout.addWidget(self.checks_view)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.preview)
        self.splitter.addWidget(checks_panel)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)

        self.xlsx_button = QPushButton(tr("导出 Excel(&X)…"))
        self.xlsx_button.setToolTip(tr("导出为省定格式的 .xlsx 工作簿，供上报系统上传"))
        self.xlsx_button.clicked.connect(lambda: self.choose_export("xlsx"))
        self.pdf_button = QPushButton(tr("导出 PDF(&D)…"))
        self.pdf_button.setToolTip(tr("导出为 PDF，打印后签字盖章存档"))
        self.pdf_button.clicked.connect(lambda: self.choose_export("pdf"))
        self.import_button = QPushButton(tr("导入已填报表(&I)…"))
        self.import_button.setToolTip(tr("读取填好的报表工作簿，核对差异后写入数据库"))
        self.import_button.clicked.connect(self.choose_import)
        self.status_label = QLabel()
        self.status_label.setStyleSheet(_MUTED_STYLE)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.import_button)
        buttons.addSpacing(12)
        buttons.addWidget(self.xlsx_button)
        buttons.addWidget(self.pdf_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.addLayout(pickers)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.title_label)
        layout.addWidget(self.identity_label)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.signers_label)
        layout.addLayout(buttons)
        self._set_actions_enabled(False)

    # --- the page contract -----------------------------------------------------------------------------------

    def refresh(self, changes: object | None = None) -> None:
        """Re-read templates, units and periods, and fill the return again (skipped for unrelated changes)."""
        if changes is not None and changes is self._echo:
            return  # our own change coming back from the main window: handled where it was made
        if isinstance(changes, OpChanges) and not (
            changes.values or changes.org_units or changes.returns or changes.plans or changes.projects
        ):
            return
        self._fill_templates()
        self._fill_units()
        self._fill_periods()
        self.recompute()

    def set_org_unit(self, unit_id: int) -> None:
        """Show the unit chosen in the org tree, or the nearest unit above it that files this return."""
        select_nearest_unit(self.unit_combo, {u.id: u for u in list_org_units(self._conn)}, unit_id)

    # --- pickers ---------------------------------------------------------------------------------------------

    def current_template(self) -> ReturnTemplate | None:
        return self._templates.get(self.template_combo.currentData() or "")

    def current_unit(self) -> OrgUnit | None:
        data = self.unit_combo.currentData()
        return self._units.get(int(data)) if data is not None else None

    def current_period(self) -> Period | None:
        return self.period_combo.currentData()

    def select_template(self, template_id: str) -> bool:
        return select_item(self.template_combo, template_id)

    def select_period(self, code: str) -> bool:
        for i in range(self.period_combo.count()):
            if self.period_combo.itemData(i).code == code:
                self.period_combo.setCurrentIndex(i)
                return True
        return False

    def _fill_templates(self) -> None:
        keep = self.template_combo.currentData()
        self._template_problems = []
        try:
            # A broken template file is left out (and named), so the other returns can still be filed.
            templates = list_templates(problems=self._template_problems)
        except ReturnError as exc:
            templates = []
            self._template_problems.append(exc.message)
        self._templates = {t.id: t for t in templates}
        with QSignalBlocker(self.template_combo):
            self.template_combo.clear()
            for template in templates:
                identity = effective_identity(self._conn, template)
                self.template_combo.addItem(f"{template.title}（{identity.table_no}）", template.id)
                self.template_combo.setItemData(
                    self.template_combo.count() - 1, template.description, Qt.ItemDataRole.ToolTipRole
                )
            select_or_first(self.template_combo, keep)

    def _fill_units(self) -> None:
        template = self.current_template()
        units = eligible_units(self._conn, template) if template else []
        self._units = {u.id: u for u in units}
        refill(self.unit_combo, unit_items(units), self.unit_combo.currentData())

    def _fill_periods(self, keep_current: bool = True) -> None:
        """Offer the template's periods; keep the chosen one, except for a new template, which starts at its
        newest period with data."""
        template, unit = self.current_template(), self.current_unit()
        keep = self.current_period() if keep_current else None
        with QSignalBlocker(self.period_combo):
            self.period_combo.clear()
            if template is None:
                return
            choices, default = period_choices(self._conn, template, unit.id if unit else None, date.today())
            for period in choices:
                self.period_combo.addItem(period.label_zh, period)
            wanted = keep if keep in choices else default
            self.period_combo.setCurrentIndex(max(choices.index(wanted) if wanted in choices else 0, 0))

    def _on_template_changed(self) -> None:
        self._fill_units()
        self._fill_periods(keep_current=False)
        self.recompute()

    def _on_unit_changed(self) -> None:
        self._fill_periods()
        self.recompute()

    # --- the preview -----------------------------------------------------------------------------------------

    def recompute(self) -> None:
        """Fill the chosen return in the background; a request made meanwhile runs when the current one ends."""
        if self._latest.busy():
            return
        template, unit, period = self.current_template(), self.current_unit(), self.current_period()
        if template is None or unit is None or period is None:
            self.preview_model.load(None)
            self.checks_model.load([])
            self._set_actions_enabled(False)
            if template is not None and unit is None:
                self._show_warning(tr("数据库中没有填报“{0}”的单位。").format(template.title))
            elif self._template_problems:
                self._show_warning("")
            return

        def task(conn: sqlite3.Connection, progress) -> FilledReturn:
            return fill_return(
                conn, template_id=template, org_unit_code=unit.code, period=period, progress=progress
            )

        self._latest.run(task, title=tr("生成报表"), on_done=self._show, on_error=self._fill_failed)

    def _fill_failed(self, error: BaseException) -> None:
        if not isinstance(error, ReturnError):
            raise error
        self.signers_label.clear()
        self.preview_model.load(None)
        self.checks_model.load([])
        self._set_actions_enabled(False)
        self._show_warning(error.message)

    def _show(self, filled: FilledReturn) -> None:
        self.preview_model.load(filled)
        self.checks_model.load(filled.checks)
        if filled.warnings or self._template_problems:
            self._show_warning("\n".join(filled.warnings))
        else:
            self.warning_label.hide()
        identity = filled.identity
        self.title_label.setText(f"{filled.template.title}　{filled.unit.name}　{filled.period.label_zh}")
        self.identity_label.setText(
            tr("表号：{0}　制定机关：{1}　批准机关：{2}　批准文号：{3}　有效期至：{4}").format(
                identity.table_no,
                identity.issuer,
                identity.approver,
                identity.approval_no,
                format_valid_until(identity.valid_until),
            )
        )
        self.signers_label.setText(signers_text(filled))
        self._update_checks_label(filled)
        self._fit_columns()
        self._set_actions_enabled(True)
        self.preview_shown.emit()

    def _update_checks_label(self, filled: FilledReturn) -> None:
        # Without checks the panel shrinks to its one line, leaving the room to the return itself.
        self.checks_view.setVisible(bool(filled.checks))
        self.checks_panel.setMaximumHeight(
            16_777_215 if filled.checks else self.checks_label.sizeHint().height() + 8
        )
        if filled.data_set_id is None:
            self.checks_label.setText(tr("审核结果：本表由程序根据登记信息生成，不设逻辑审核"))
            return
        if not filled.checks:
            self.checks_label.setText(tr("审核结果：本表暂无审核规则"))
            return
        blocking, open_explain, explained = self.checks_model.counts()
        if not (blocking or open_explain or explained):
            self.checks_label.setText(tr("审核结果：{0} 条审核全部通过").format(len(filled.checks)))
            return
        self.checks_label.setText(
            tr("审核结果：强制性错误 {0} 条，待说明 {1} 条，已说明 {2} 条（已说明的随报表导出）").format(
                blocking, open_explain, explained
            )
        )

    def _fit_columns(self) -> None:
        header = self.preview.horizontalHeader()
        fm = header.fontMetrics()
        em = self.preview.fontMetrics().horizontalAdvance("中")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.resizeColumnsToContents()
        filled = self.preview_model.filled
        if filled is None:
            return
        for j, column in enumerate(filled.template.columns):
            width = header.sectionSize(j) + em  # a little air on both sides of the widest entry
            if column.numeric:
                width = max(width, 5 * em)
            elif column.kind == "field":
                title = max((fm.horizontalAdvance(line) for line in column.title.splitlines()), default=0)
                width = min(width, max(int((column.width or 16) * em), title + em))
            header.resizeSection(j, width)
        self.preview.resizeRowsToContents()

    def _show_warning(self, text: str) -> None:
        self.warning_label.setText("\n".join(line for line in (text, *self._template_problems) if line))
        self.warning_label.show()

    def _set_actions_enabled(self, enabled: bool) -> None:
        for button in (self.xlsx_button, self.pdf_button):
            button.setEnabled(enabled)
        template = self.current_template()
        self.import_button.setEnabled(template is not None and template.importable)
        self.identity_button.setEnabled(template is not None)

    # --- export ----------------------------------------------------------------------------------------------

    def choose_export(self, fmt: str) -> None:
        filled = self.preview_model.filled
        if filled is None:
            return
        suffix = "." + fmt
        proposed = self._last_dir / default_file_name(filled, suffix)
        filters = tr("Excel 工作簿 (*.xlsx)") if fmt == "xlsx" else tr("PDF 文件 (*.pdf)")
        path, _ = QFileDialog.getSaveFileName(self, tr("导出报表"), str(proposed), filters)
        if path:
            target = Path(path)
            self.export_to(target if target.suffix.lower() == suffix else target.with_suffix(suffix))

    def export_to(self, path: Path) -> TaskHandle | None:
        """Export the chosen return to path (.xlsx or .pdf) in the background."""
        template, unit, period = self.current_template(), self.current_unit(), self.current_period()
        if template is None or unit is None or period is None:
            return None
        path = Path(path)

        def task(conn: sqlite3.Connection, progress) -> ExportResult:
            return export_return(
                conn,
                template_id=template,
                org_unit_code=unit.code,
                period=period,
                out_path=path,
                progress=progress,
            )

        self.status_label.setText(tr("正在导出…"))
        return self._runner.run(
            task,
            title=tr("导出报表"),
            on_done=self._exported,
            on_error=self._action_failed,
            on_cancelled=lambda: self.status_label.setText(tr("已取消导出")),
        )

    def _exported(self, result: ExportResult) -> None:
        self._last_dir = result.path.parent
        self.status_label.setText(tr("已导出：{0}").format(result.path))
        box = export_done_box(self, result)
        self.message_box = box
        box.open()
        self.exported.emit(result)

    # --- import ----------------------------------------------------------------------------------------------

    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("导入已填报表"), str(self._last_dir), tr("Excel 工作簿 (*.xlsx)")
        )
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> TaskHandle:
        """Read a filled return and show what it would change (nothing is written yet)."""
        path = Path(path)

        def task(conn: sqlite3.Connection, progress) -> ReturnImportPlan:
            return read_return_file(conn, path, progress=progress)

        self.status_label.setText(tr("正在读取“{0}”…").format(path.name))
        return self._runner.run(
            task, title=tr("读取报表"), on_done=self._show_import_plan, on_error=self._action_failed
        )

    def _show_import_plan(self, plan: ReturnImportPlan) -> None:
        self._last_dir = plan.path.parent
        self.status_label.setText(
            tr("已读取“{0}”：{1} 个数值有变化").format(plan.path.name, len(plan.changes))
        )
        dialog = ImportReturnDialog(plan, self)
        dialog.accepted.connect(lambda: self.apply_import(plan))
        self.import_dialog = dialog
        dialog.open()
        self.import_planned.emit(plan)

    def apply_import(self, plan: ReturnImportPlan) -> TaskHandle | None:
        """Write the changes of a plan the user confirmed, in one transaction."""
        if not plan.changes:
            return None
        user = self.current_user()

        def task(conn: sqlite3.Connection, progress) -> ReturnImportResult:
            return apply_return_import(conn, plan, user=user, progress=progress)

        return self._runner.run(
            task, title=tr("写入报表数据"), on_done=self._imported, on_error=self._action_failed
        )

    def _imported(self, result: ReturnImportResult) -> None:
        self.status_label.setText(tr("已写入 {0} 个数值，修改已记入审计记录").format(result.applied))
        self.imported.emit(result)
        self._announce(result.changes)

    def _announce(self, changes: OpChanges) -> None:
        """Tell the main window what changed, then refresh this page once (not again when it echoes back)."""
        self._echo = changes
        try:
            self.data_changed.emit(changes)
        finally:
            self._echo = None
        self.refresh(changes)

    def current_user(self) -> str:
        """Who is named in the audit trail: the name set in the program (setting user_name), else the login."""
        return current_user(self._conn)

    def _action_failed(self, error: BaseException) -> None:
        if not isinstance(error, ReturnError):
            raise error
        self.status_label.setText(tr("未完成：{0}").format(error.message.splitlines()[0]))
        box = problem_box(self, error)
        self.message_box = box
        box.open()

    # --- template settings -----------------------------------------------------------------------------------

    def open_identity_dialog(self) -> TemplateIdentityDialog | None:
        template = self.current_template()
        if template is None:
            return None
        dialog = TemplateIdentityDialog(template, effective_identity(self._conn, template), self)
        dialog.accepted.connect(lambda: self.save_identity(template, dialog.values()))
        dialog.open()
        return dialog

    def save_identity(self, template: ReturnTemplate, values: dict[str, str]) -> TaskHandle:
        def task(conn: sqlite3.Connection, progress) -> OpChanges:
            return set_template_identity(conn, template, values)

        def done(changes: OpChanges) -> None:
            if changes.any:
                self._announce(changes)

        return self._runner.run(task, title=tr("保存表头设置"), on_done=done, on_error=self._action_failed)


def signers_text(filled: FilledReturn) -> str:
    """The signer footer in one line: the names the review workflow recorded, or why the lines are blank."""
    if filled.data_set_id is None:
        return tr("签署栏：本表不经审核流程，导出后打印，由单位负责人、统计负责人、填表人手工签署。")
    values = filled.signer_values()
    # An unsigned 报出日期 prints as a blank “　年　月　日” for the pen; on screen it is simply empty.
    shown = {
        k: v.strip() if any(ch.isalnum() and ch not in "年月日" for ch in v) else ""
        for k, v in values.items()
    }
    parts = [f"{label}：{shown[label] or tr('（空）')}" for label in values]
    text = tr("签署栏：") + "　".join(parts)
    if not any(shown[label] for label in ("单位负责人", "统计负责人", "填表人")):
        text += tr("。在“数据填报”中提交、审核、批准后自动填入。")
    return text
