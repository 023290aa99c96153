"""Item delegates: a little air in every row, and target readings drawn as a kind tag followed by the note."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.ui.models.plan_indicator_model import PlanIndicatorTableModel, python_data, visible_domain

ModelIndex = QModelIndex | QPersistentModelIndex

_V_PAD = 8
_H_MARGIN = 4
_CHIP_GAP = 6
_CHIP_COLOURS = {
    "default": (QColor("#e3ebf6"), QColor("#264773")),
    "ambiguous": (QColor("#f3c14b"), QColor("#4a3000")),
    "none": (QColor("#ececec"), QColor("#6b6b6b")),
}
_FALLBACK_WIDTH = 240
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)


# QStyledItemDelegate keeps (focus frame margin + 1) pixels free on each side of the text; a little more here
# so a computed height never comes out one line short.
_TEXT_MARGIN = 4


def text_height(fm: QFontMetrics, width: int, text: str) -> int:
    """Height of text word-wrapped into a cell width, as the standard delegate draws it."""
    available = max(width - 2 * _TEXT_MARGIN, 10)
    if not text or ("\n" not in text and fm.horizontalAdvance(text) <= available):
        return fm.height()
    return fm.boundingRect(QRect(0, 0, available, 100_000), _WRAP, text).height()


def reading_height(fm: QFontMetrics, width: int, label: str, detail: str) -> int:
    """Height of a reading cell: the kind tag, then the note wrapped beside it."""
    chip = _chip_size(fm, label)
    available = max(width - 2 * _H_MARGIN - chip.width() - _CHIP_GAP, 40)
    text = fm.boundingRect(QRect(0, 0, available, 100_000), _WRAP, detail).height() if detail else 0
    return max(text, chip.height())


def row_padding() -> int:
    return _V_PAD


def _chip_size(fm: QFontMetrics, label: str) -> QSize:
    return QSize(fm.horizontalAdvance(label) + 10, fm.height() + 2)


class PaddedItemDelegate(QStyledItemDelegate):
    """The standard delegate with a few pixels more height, so wrapped Chinese text does not feel cramped."""

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + _V_PAD)


class DomainDelegate(PaddedItemDelegate):
    """The 领域 column: the domain only on the first shown row of each domain, also when filtered."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().initStyleOption(option, index)
        option.text = visible_domain(index)


class TargetReadingDelegate(PaddedItemDelegate):
    """Reading cells: the kind label as a small tag, then the parser's note, word-wrapped beside it."""

    def _parts(self, index: ModelIndex) -> tuple[str, str, str]:
        label = python_data(index, PlanIndicatorTableModel.KindLabelRole) or ""
        detail = python_data(index, PlanIndicatorTableModel.ReadingDetailRole) or ""
        target = python_data(index, PlanIndicatorTableModel.TargetRole)
        if target is not None and target.ambiguous:
            tone = "ambiguous"
        elif target is not None and target.kind == "none":
            tone = "none"
        else:
            tone = "default"
        return label, detail, tone

    def sizeHint(self, option: QStyleOptionViewItem, index: ModelIndex) -> QSize:
        label, detail, _tone = self._parts(index)
        if not label:
            return super().sizeHint(option, index)
        fm = option.fontMetrics
        width = option.rect.width() if option.rect.width() > 0 else _FALLBACK_WIDTH
        natural = (
            _chip_size(fm, label).width() + _CHIP_GAP + min(fm.horizontalAdvance(detail), _FALLBACK_WIDTH)
        )
        return QSize(natural + 2 * _H_MARGIN, reading_height(fm, width, label, detail) + _V_PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        label, detail, tone = self._parts(index)
        if not label:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)

        fm = opt.fontMetrics
        area = opt.rect.adjusted(_H_MARGIN, 0, -_H_MARGIN, 0)
        chip = _chip_size(fm, label)
        text_left = area.left() + chip.width() + _CHIP_GAP
        text_box = fm.boundingRect(QRect(0, 0, max(area.right() - text_left, 40), 100_000), _WRAP, detail)
        block_height = max(text_box.height(), chip.height())
        top = area.top() + max((area.height() - block_height) // 2, 0)
        chip_rect = QRect(area.left(), top + (fm.height() - chip.height()) // 2, chip.width(), chip.height())

        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        background, foreground = _CHIP_COLOURS[tone]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(background)
        painter.drawRoundedRect(chip_rect, 3, 3)
        painter.setPen(foreground)
        painter.drawText(chip_rect, int(Qt.AlignmentFlag.AlignCenter), label)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        colour = python_data(index, Qt.ItemDataRole.ForegroundRole)
        if selected or colour is None:
            role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            colour = opt.palette.color(role)
        painter.setPen(colour)
        painter.drawText(QRect(text_left, top, area.right() - text_left, block_height + 2), _WRAP, detail)
        painter.restore()
