"""Item models of the 报表 screen: the filled return as it will print, and its entry-check results."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from desktop.io.return_doc import format_number
from desktop.ops.returns import CENTERED_FIELDS, SEVERITY_LABELS, CheckLine, FilledReturn
from desktop.ui.models.record_table_model import ModelIndex, RecordTableModel
from desktop.ui.qt_setup import chinese_locale

_NO_PARENT = QModelIndex()
RETURNS_CONTEXT = "Returns"  # the 报表 screen's strings
ROLLUP_TEXT = QColor("#2f5f8f")
FAILED_BACKGROUND = QColor("#fbe3e3")
EXPLAINED_BACKGROUND = QColor("#fff4d6")
MUTED_TEXT = QColor("#808080")


def tr(text: str) -> str:
    return QCoreApplication.translate(RETURNS_CONTEXT, text)


def number_locale() -> QLocale:
    """Chinese number formatting without group separators, as the printed return shows numbers."""
    locale = chinese_locale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale


class ReturnPreviewModel(QAbstractTableModel):
    """One row per row of the return, one column per column of its template (read-only)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._filled: FilledReturn | None = None
        self._flagged: set[str] = set()
        self._locale = number_locale()

    def load(self, filled: FilledReturn | None) -> None:
        self.beginResetModel()
        self._filled = filled
        self._flagged = set()
        # Row codes (rows layout) and unit codes (by-unit layout) name the rows a failed check is about.
        if filled is not None and filled.template.layout in ("rows", "units"):
            for check in filled.failed_checks:
                self._flagged.update(check.row_codes)
        self.endResetModel()

    @property
    def filled(self) -> FilledReturn | None:
        return self._filled

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() or self._filled is None else len(self._filled.rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() or self._filled is None else len(self._filled.template.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if self._filled is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._filled.template.columns):
                return None
            column = self._filled.template.columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                title = f"{column.group}\n{column.title}" if column.group else column.title
                return f"{title}\n{column.number}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._filled.rows):
            return str(section + 1)
        return None

    def cell_text(self, row: int, column: int) -> str:
        assert self._filled is not None
        cell = self._filled.rows[row].cells[column]
        value = cell.value
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if cell.decimals is None:
            return format_number(value, None)
        # Same rounding as the printed return (四舍五入), then the locale's digits.
        return self._locale.toString(float(format_number(value, cell.decimals)), "f", cell.decimals)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._filled is None:
            return None
        row = self._filled.rows[index.row()]
        column = self._filled.template.columns[index.column()]
        cell = row.cells[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.cell_text(index.row(), index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column.field in CENTERED_FIELDS or column.field in ("code", "unit_code", "seq"):
                return int(Qt.AlignmentFlag.AlignCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and row.total:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and column.kind == "value" and not cell.own:
            return ROLLUP_TEXT
        if role == Qt.ItemDataRole.BackgroundRole and row.code in self._flagged:
            return FAILED_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            parts = []
            if column.kind == "value" and not cell.own and cell.value is not None:
                parts.append(tr("本单位未报此项，为下级单位汇总数"))
            if cell.coverage:
                parts.append(cell.coverage)
            if cell.ref is not None:
                parts.append(tr("数据项 {0}（{1}）").format(cell.ref.element_name, cell.ref.element_code))
            if row.code in self._flagged:
                parts.append(tr("此行有未通过的审核，见下方审核结果"))
            return "\n".join(parts) or None
        return None


class CheckResultsModel(RecordTableModel[CheckLine]):
    """The entry checks of the return: failed ones first (blocking before explained), then those passed."""

    HEADERS = ("结果", "类别", "审核关系", "说明")
    TR_CONTEXT = RETURNS_CONTEXT

    def load(self, checks: Iterable[CheckLine]) -> None:
        super().load(
            sorted(
                checks, key=lambda c: (c.passed, c.severity != "blocking", bool(c.explanation), c.rule_code)
            )
        )

    @staticmethod
    def result_text(check: CheckLine) -> str:
        if check.passed:
            return tr("通过")
        if check.severity == "explain" and check.explanation:
            return tr("已说明")
        return tr("未通过")

    def record_data(self, check: CheckLine, column: int, role: int):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == 0:
                return self.result_text(check)
            if column == 1:
                return tr(SEVERITY_LABELS.get(check.severity, check.severity))
            if column == 2:
                return check.expression
            if check.passed:
                return check.message
            text = check.message + (f"（{check.detail}）" if check.detail else "")
            if check.explanation:
                text += tr("\n审核说明：{0}").format(check.explanation)
            return text
        if role == Qt.ItemDataRole.BackgroundRole and not check.passed:
            return EXPLAINED_BACKGROUND if check.explanation else FAILED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and check.passed:
            return MUTED_TEXT
        return None

    def counts(self) -> tuple[int, int, int]:
        """(blocking failures, explain failures without explanation, explained)."""
        blocking = sum(1 for c in self._rows if not c.passed and c.severity == "blocking")
        open_explain = sum(
            1 for c in self._rows if not c.passed and c.severity != "blocking" and not c.explanation
        )
        explained = sum(1 for c in self._rows if not c.passed and c.explanation)
        return blocking, open_explain, explained
