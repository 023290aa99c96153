"""A plan's indicator table as the plan prints it, with the program's reading of every target beside it.

Columns: 序号, 领域, 指标, 单位, 性质, 基期, then for each milestone year two columns: the target text exactly as
written, and its reading (a short label for the kind of rule plus the parser's note). The raw text is never
normalised for display: the user must be able to check the reading against the printed plan.
"""

from __future__ import annotations

import re
import unicodedata

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from desktop.core.target_words import KIND_LABELS_ZH
from desktop.store.plans import PlanIndicator, Target

ModelIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()  # default argument for parent indexes (read-only, so one shared instance is fine)

AMBIGUOUS_BACKGROUND = QColor("#fff1c2")
AMBIGUOUS_FOREGROUND = QColor("#7a4b00")
_MUTED = QColor("#6b6b6b")
_ALIGN_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_ALIGN_LEFT = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
_DASH = "—"
# A cell that only says "no value" ("-", "——", "－－－"): no year is added to it.
_NO_VALUE = re.compile(r"^[\s\-—–－~_/]*$")
# The parser ends a note with its reasoning in full-width brackets: "不低于 80（含 80）".
_TRAILING_EXPLANATION = re.compile(r"（[^（）]*）$")


def _tr(text: str) -> str:
    return QCoreApplication.translate("PlanIndicatorTableModel", text)


def chinese_locale() -> QLocale:
    return QLocale(QLocale.Language.Chinese, QLocale.Country.China)


def format_number(value: float, locale: QLocale | None = None) -> str:
    """Shortest exact form, grouped the Chinese way (3,821 / 80.15); never use this for years."""
    locale = locale or chinese_locale()
    return locale.toString(float(value), "f", QLocale.FloatingPointPrecisionOption.FloatingPointShortest)


def kind_label(target: Target) -> str:
    if target.kind == "at_least" and target.strict:
        return _tr("高于")
    if target.kind == "at_most" and target.strict:
        return _tr("低于")
    return _tr(KIND_LABELS_ZH.get(target.kind, target.kind))


def describe_target(target: Target, locale: QLocale | None = None) -> str:
    """A reading in words, for targets the parser left without a note."""
    # Change kinds carry their sign in the value (降低 -> negative); the words say the direction instead.
    value = abs(target.value) if target.value is not None else None
    v = format_number(value, locale) if value is not None else ""
    down = (target.value or 0) < 0 or target.direction == "down"
    unit = _tr("个百分点") if target.change == "points" else "%" if target.change == "percent" else ""
    plain = format_number(target.value, locale) if target.value is not None else ""
    kind = target.kind
    if kind == "level":
        return plain
    if kind == "at_least":
        return ("> " if target.strict else "≥ ") + plain
    if kind == "at_most":
        return ("< " if target.strict else "≤ ") + plain
    if kind == "approx":
        return _tr("约 %1").replace("%1", v)
    if kind == "range" and target.value_max is not None:
        return f"{v} – {format_number(target.value_max, locale)}"
    if kind == "relative_to_base":
        base = _tr("较%1年").replace("%1", str(target.base_year)) if target.base_year else _tr("较基期")
        return base + (_tr("降低") if down else _tr("提高")) + v + unit
    if kind == "points_change":
        return (_tr("降低") if down else _tr("提高")) + v + _tr("个百分点")
    if kind == "annual_change":
        return _tr("每年") + (_tr("降低") if down else _tr("提高")) + v + unit
    if kind == "direction":
        return {"down": _tr("持续降低"), "improve": _tr("持续改善")}.get(
            target.direction or "", _tr("持续提高")
        )
    if kind == "coverage":
        return "100%"
    if kind == "comparator":
        return _tr("需录入参照值")
    if kind == "none":
        return _tr("不评估")
    return v


def reading_detail(target: Target, locale: QLocale | None = None) -> str:
    """The parser's full note, or a reading in words when it left none."""
    return (target.note or "").strip() or describe_target(target, locale)


def short_reading(target: Target, locale: QLocale | None = None) -> str:
    """The note without its closing explanation in brackets (kept for the tooltip), so cells stay short."""
    full = reading_detail(target, locale)
    short = _TRAILING_EXPLANATION.sub("", full).strip()
    return short or full


def reading_text(target: Target, locale: QLocale | None = None) -> str:
    """'label · reading': the kind as a short label first, so a column of readings scans at a glance."""
    detail = short_reading(target, locale)
    label = kind_label(target)
    if not detail or detail == label:
        return label
    return f"{label} · {detail}"


class PlanIndicatorTableModel(QAbstractTableModel):
    COL_SEQ, COL_DOMAIN, COL_NAME, COL_UNIT, COL_NATURE, COL_BASELINE = range(6)
    FIXED_COLUMNS = 6
    FullDomainRole = Qt.ItemDataRole.UserRole + 1
    TargetRole = Qt.ItemDataRole.UserRole + 2
    PlanIndicatorRole = Qt.ItemDataRole.UserRole + 3
    AmbiguousRole = Qt.ItemDataRole.UserRole + 4
    KindLabelRole = Qt.ItemDataRole.UserRole + 5
    ReadingDetailRole = Qt.ItemDataRole.UserRole + 6

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[PlanIndicator] = []
        self._years: list[int] = []
        self._baseline_year: int | None = None
        self._texts: list[list[str]] = []
        self._targets: list[dict[int, Target]] = []
        self._domain_first: list[bool] = []
        self._locale = chinese_locale()
        self._bold = QFont()
        self._bold.setBold(True)

    def load(
        self, rows: list[PlanIndicator], years: list[int] | None = None, baseline_year: int | None = None
    ) -> None:
        """Show rows; the milestone years are those with targets unless given (ascending).

        baseline_year is the plan's: it goes in the header, and only baselines from other years name theirs.
        """
        self.beginResetModel()
        self._baseline_year = baseline_year
        self._rows = list(rows)
        self._targets = [{t.year: t for t in r.targets} for r in self._rows]
        self._years = sorted(years if years is not None else {y for ts in self._targets for y in ts})
        self._domain_first = [
            i == 0 or (r.domain or "") != (self._rows[i - 1].domain or "") for i, r in enumerate(self._rows)
        ]
        # Texts are worked out once here, not on every repaint: a view asks for them many times a second.
        self._texts = [self._row_texts(row) for row in range(len(self._rows))]
        self.endResetModel()

    def _row_texts(self, row: int) -> list[str]:
        pi = self._rows[row]
        texts = [self._fixed_text(pi, row, column) for column in range(self.FIXED_COLUMNS)]
        for year in self._years:
            target = self._targets[row].get(year)
            texts.append(target.raw if target is not None else "")
            texts.append(reading_text(target, self._locale) if target is not None else _DASH)
        return texts

    def reading_parts(self, row: int, column: int) -> tuple[str, str] | None:
        """(kind label, short reading) of a reading cell, or None when the row has no target that year."""
        target = self._target_at(row, column)
        if target is None or not self.is_reading_column(column):
            return None
        return kind_label(target), short_reading(target, self._locale)

    def cell_text(self, row: int, column: int) -> str:
        """What the cell displays (no QVariant round trip; used to size rows)."""
        return self._texts[row][column]

    @property
    def years(self) -> list[int]:
        return list(self._years)

    def row_at(self, row: int) -> PlanIndicator | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def raw_column(self, year: int) -> int:
        return self.FIXED_COLUMNS + 2 * self._years.index(year)

    def reading_column(self, year: int) -> int:
        return self.raw_column(year) + 1

    def is_reading_column(self, column: int) -> bool:
        return column >= self.FIXED_COLUMNS and (column - self.FIXED_COLUMNS) % 2 == 1

    def column_is_empty(self, column: int) -> bool:
        """True when no row has text in this fixed column (a plan without 序号 or 性质, say)."""
        return column < self.FIXED_COLUMNS and not any(
            self._fixed_text(pi, row, column) for row, pi in enumerate(self._rows)
        )

    def _target_at(self, row: int, column: int) -> Target | None:
        if column < self.FIXED_COLUMNS:
            return None
        year = self._years[(column - self.FIXED_COLUMNS) // 2]
        return self._targets[row].get(year)

    # --- QAbstractTableModel -----------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: ModelIndex = _NO_PARENT) -> int:
        return 0 if parent.isValid() else self.FIXED_COLUMNS + 2 * len(self._years)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == self.COL_BASELINE and self._baseline_year:
                return f"{_tr('基期')}\n{self._baseline_year}{_tr('年')}"
            if section < self.FIXED_COLUMNS:
                return (_tr("序号"), _tr("领域"), _tr("指标"), _tr("单位"), _tr("性质"), _tr("基期"))[section]
            year = self._years[(section - self.FIXED_COLUMNS) // 2]
            what = _tr("解读") if self.is_reading_column(section) else _tr("目标（原文）")
            return f"{year}{_tr('年')}\n{what}"
        if role == Qt.ItemDataRole.ToolTipRole and section >= self.FIXED_COLUMNS:
            if self.is_reading_column(section):
                return _tr("程序对目标写法的理解：类型 · 说明。标黄的请对照规划原文核对。")
            return _tr("目标值，与规划原文一字不差")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_LEFT
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if role not in _ROLES or not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._texts[row][column]
        pi = self._rows[row]
        if column >= self.FIXED_COLUMNS:
            return self._target_data(self._target_at(row, column), self.is_reading_column(column), role)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._fixed_tooltip(pi, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_CENTER if column in (self.COL_SEQ, self.COL_UNIT, self.COL_NATURE) else _ALIGN_LEFT
        if role == Qt.ItemDataRole.FontRole and column == self.COL_NATURE and pi.nature == "约束性":
            return self._bold
        if role == Qt.ItemDataRole.ForegroundRole and column == self.COL_DOMAIN:
            return _MUTED
        if role == self.FullDomainRole:
            return pi.domain or ""
        if role == self.PlanIndicatorRole:
            return pi
        return None

    def _fixed_text(self, pi: PlanIndicator, row: int, column: int) -> str:
        if column == self.COL_SEQ:
            return pi.seq or ""
        if column == self.COL_DOMAIN:
            return (pi.domain or "") if self._domain_first[row] else ""
        if column == self.COL_NAME:
            return pi.name_as_written
        if column == self.COL_UNIT:
            return pi.unit_as_written or ""
        if column == self.COL_NATURE:
            return pi.nature or ""
        raw = pi.baseline_raw or ""
        if (
            pi.baseline_year
            and pi.baseline_year != self._baseline_year
            and raw
            and not _NO_VALUE.match(raw)
            and str(pi.baseline_year) not in unicodedata.normalize("NFKC", raw)  # "78.18(2019年)" names it
        ):
            return f"{raw}（{pi.baseline_year}{_tr('年')}）"
        return raw

    def _fixed_tooltip(self, pi: PlanIndicator, column: int) -> str | None:
        if column == self.COL_NAME:
            lines = [pi.name_as_written]
            if pi.lead_department:
                lines.append(_tr("牵头部门：%1").replace("%1", pi.lead_department))
            if pi.note:
                lines.append(pi.note)
            return "\n".join(lines)
        if column == self.COL_DOMAIN:
            return pi.domain or None
        if column == self.COL_BASELINE and pi.baseline_raw:
            text = _tr("基期值（原文）：%1").replace("%1", pi.baseline_raw)
            if pi.baseline_value is not None:
                text += "\n" + _tr("读作：%1").replace("%1", format_number(pi.baseline_value, self._locale))
            return text
        if column == self.COL_NATURE and pi.nature:
            return pi.nature
        return None

    def _target_data(self, target: Target | None, reading: bool, role: int):
        if role == self.TargetRole:
            return target
        if role == self.AmbiguousRole:
            return bool(target and target.ambiguous)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_LEFT
        if target is None:
            return None
        if role == self.KindLabelRole:
            return kind_label(target) if reading else None
        if role == self.ReadingDetailRole:
            return short_reading(target, self._locale) if reading else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._target_tooltip(target)
        if role == Qt.ItemDataRole.BackgroundRole and target.ambiguous and reading:
            return AMBIGUOUS_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole:
            if target.ambiguous and reading:
                return AMBIGUOUS_FOREGROUND
            if target.kind == "none":
                return _MUTED
        return None

    def _target_tooltip(self, target: Target) -> str:
        lines = []
        if target.ambiguous:
            lines.append(_tr("请核对：这个写法有不止一种理解，程序按下面的理解计算。"))
        lines.append(_tr("原文：%1").replace("%1", target.raw))
        lines.append(
            _tr("解读：%1 · %2")
            .replace("%1", kind_label(target))
            .replace("%2", reading_detail(target, self._locale))
        )
        if target.hedge:
            lines.append(_tr("带“力争/争取/基本”等留有余地的说法"))
        return "\n".join(lines)


_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.BackgroundRole,
        *range(PlanIndicatorTableModel.FullDomainRole, PlanIndicatorTableModel.ReadingDetailRole + 1),
    }
)


class IndicatorFilterProxyModel(QSortFilterProxyModel):
    """Filters the table by indicator name (case-insensitive, any part of the name)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setFilterKeyColumn(PlanIndicatorTableModel.COL_NAME)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


def visible_domain(index: ModelIndex) -> str:
    """The domain text a cell shows: only on the first row of each domain among the rows shown.

    Works on the proxy as well, so a filtered table still says which domain its first row belongs to.
    """
    domain = python_data(index, PlanIndicatorTableModel.FullDomainRole) or ""
    if index.row() == 0:
        return domain
    above = index.siblingAtRow(index.row() - 1)
    return "" if (python_data(above, PlanIndicatorTableModel.FullDomainRole) or "") == domain else domain


def python_data(index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
    """index.data(role) for indexes of this program's Python models, without a trip through C++ and QVariant.

    Faster in paint code, and it keeps Python objects (a Target) as they are.
    """
    model = index.model()
    return model.data(index, role) if model is not None and index.isValid() else None
