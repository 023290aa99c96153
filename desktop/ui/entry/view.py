"""The keyboard of the entry grids, as a clerk keying from paper expects it.

Typing overwrites the cell (typed on a row's code or name, it goes to that row's value cell; text an input
method commits counts as typing); Enter saves and moves down, Tab moves on (down the form, across the 代报 grid),
Shift+Tab back; ↑/↓ save and move while typing; Delete clears; Ctrl+V pastes a column (or block) copied from
Excel; F4 opens the cell's details (a denominator's provenance); Esc cancels the typing. Cells with a comment
carry a small red corner, cells marked 需跟进 an orange one, as in Excel.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QInputMethodEvent,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
    QPolygon,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QStyle,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from desktop.ui.delegates import PaddedItemDelegate
from desktop.ui.entry import cells

ModelIndex = QModelIndex | QPersistentModelIndex

DOWN, UP, NEXT, PREVIOUS = "down", "up", "next", "previous"
_MARK = 6  # size of the corner triangles, in pixels


class EntryTableView(QTableView):
    """A table whose entry cells (given by `entry_columns` and `is_entry_row`) are keyed like a spreadsheet."""

    clear_requested = Signal(list)  # [QModelIndex] of entry cells to clear
    paste_requested = Signal(QModelIndex, str)  # where, clipboard text
    details_requested = Signal(QModelIndex)  # F4 / double-click on a details column
    context_requested = Signal(QModelIndex, QPoint)
    locked_typing = Signal(QModelIndex)  # typed on a cell that cannot be edited

    def __init__(self, parent: QWidget | None = None, *, across: bool = False) -> None:
        super().__init__(parent)
        self.across = across  # Tab moves across columns (代报 grid) instead of down rows (form)
        self.entry_columns: list[int] = []
        self.is_entry_row = lambda row: True
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setTabKeyNavigation(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)

    # --- where the cursor goes ---------------------------------------------------------------------------

    def entry_cells(self) -> list[tuple[int, int]]:
        model = self.model()
        if model is None:
            return []
        rows = [r for r in range(model.rowCount()) if self.is_entry_row(r) and not self.isRowHidden(r)]
        columns = [c for c in self.entry_columns if not self.isColumnHidden(c)]
        if self.across:
            return [(r, c) for r in rows for c in columns]
        return [(r, c) for c in columns for r in rows]

    def step(self, index: QModelIndex, direction: str) -> QModelIndex:
        """The entry cell after (or before) `index` in reading order, or `index` at either end."""
        model = self.model()
        if model is None or not index.isValid():
            return index
        if direction in (DOWN, UP):
            rows = [r for r in range(model.rowCount()) if self.is_entry_row(r) and not self.isRowHidden(r)]
            ahead = [r for r in rows if (r > index.row() if direction == DOWN else r < index.row())]
            if not ahead:
                return index
            return model.index(ahead[0] if direction == DOWN else ahead[-1], index.column())
        order = self.entry_cells()
        here = (index.row(), index.column())
        if here not in order:
            later = (
                [rc for rc in order if rc > here] if direction == NEXT else [rc for rc in order if rc < here]
            )
            if not later:
                return index
            target = later[0] if direction == NEXT else later[-1]
            return model.index(*target)
        i = order.index(here) + (1 if direction == NEXT else -1)
        return model.index(*order[i]) if 0 <= i < len(order) else index

    def go(self, direction: str) -> None:
        target = self.step(self.currentIndex(), direction)
        if target.isValid():
            self.setCurrentIndex(target)
            self.scrollTo(target)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        if action == QAbstractItemView.CursorAction.MoveNext:
            return self.step(self.currentIndex(), NEXT)
        if action == QAbstractItemView.CursorAction.MovePrevious:
            return self.step(self.currentIndex(), PREVIOUS)
        return super().moveCursor(action, modifiers)

    # --- keys --------------------------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.state() == QAbstractItemView.State.EditingState:
            super().keyPressEvent(event)
            return
        key = event.key()
        current = self.currentIndex()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.go(UP if event.modifiers() & Qt.KeyboardModifier.ShiftModifier else DOWN)
            return
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            targets = self.selected_entry_indexes() or ([current] if current.isValid() else [])
            if targets:
                self.clear_requested.emit(targets)
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit(current, QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if key == Qt.Key.Key_F4:
            self.details_requested.emit(current)
            return
        text = event.text()
        typing = bool(text) and text.isprintable() and current.isValid()
        if typing and self._on_row_label(current):
            # On a row's code or name (the unit, in the 代报 grid): the number is meant for the row's value
            # cell, not for the view's keyboard search, which would swallow it silently.
            current = self._entry_cell_of_row(current)
            self.setCurrentIndex(current)
        if (
            typing
            and current.column() in self.entry_columns
            and not (current.flags() & Qt.ItemFlag.ItemIsEditable)
        ):
            self.locked_typing.emit(current)
            return
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:
        # Text committed by an input method (a Chinese IME in full-width mode) with no composition first:
        # Qt opens the editor but drops the text, so the typed number would be lost. Treat it as typing.
        text = event.commitString()
        current = self.currentIndex()
        if self.state() == QAbstractItemView.State.EditingState or event.preeditString() or not text:
            super().inputMethodEvent(event)
            return
        if self._on_row_label(current):
            current = self._entry_cell_of_row(current)
            self.setCurrentIndex(current)
        if not current.isValid() or current.column() not in self.entry_columns:
            super().inputMethodEvent(event)
            return
        if not (current.flags() & Qt.ItemFlag.ItemIsEditable):
            self.locked_typing.emit(current)
            return
        if self.edit(current, QAbstractItemView.EditTrigger.AnyKeyPressed, event):
            editor = QApplication.focusWidget()  # edit() focuses the editor it opened
            if isinstance(editor, QLineEdit):
                editor.setText(text)
        event.accept()

    def _on_row_label(self, index: QModelIndex) -> bool:
        """On a column left of the entry cells (code, name, unit) of a row that takes values."""
        columns = [c for c in self.entry_columns if not self.isColumnHidden(c)]
        return (
            index.isValid()
            and bool(columns)
            and index.column() < min(columns)
            and self.is_entry_row(index.row())
        )

    def _entry_cell_of_row(self, index: QModelIndex) -> QModelIndex:
        columns = [c for c in self.entry_columns if not self.isColumnHidden(c)]
        return index.siblingAtColumn(min(columns))

    def selected_entry_indexes(self) -> list[QModelIndex]:
        chosen = [
            i
            for i in self.selectionModel().selectedIndexes()
            if i.column() in self.entry_columns and self.is_entry_row(i.row())
        ]
        return sorted(chosen, key=lambda i: (i.row(), i.column()))

    def copy_selection(self) -> None:
        """Copy the selected cells as tab-separated text (what Excel pastes)."""
        indexes = sorted(self.selectionModel().selectedIndexes(), key=lambda i: (i.row(), i.column()))
        if not indexes:
            return
        rows: dict[int, dict[int, str]] = {}
        for i in indexes:
            rows.setdefault(i.row(), {})[i.column()] = str(i.data(Qt.ItemDataRole.EditRole) or "")
        columns = sorted({i.column() for i in indexes})
        text = "\n".join("\t".join(r.get(c, "") for c in columns) for _row, r in sorted(rows.items()))
        QGuiApplication.clipboard().setText(text)

    def contextMenuEvent(self, event) -> None:
        index = self.indexAt(event.pos())
        if index.isValid():
            self.setCurrentIndex(index)
            self.context_requested.emit(index, event.globalPos())

    def mouseDoubleClickEvent(self, event) -> None:
        index = self.indexAt(event.position().toPoint())
        if index.isValid() and index.column() not in self.entry_columns:
            self.setCurrentIndex(index)
            self.details_requested.emit(index)
            return
        super().mouseDoubleClickEvent(event)


_SELECTED_TINT = QColor(28, 126, 214, 38)
_CURRENT_FRAME = QColor("#1c7ed6")


class EntryItemDelegate(PaddedItemDelegate):
    """Selection drawn as a tint and the current cell as a frame, so a cell's status colour stays visible."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        current = bool(opt.state & QStyle.StateFlag.State_HasFocus)
        opt.state &= ~(QStyle.StateFlag.State_Selected | QStyle.StateFlag.State_HasFocus)
        super().paint(painter, opt, index)
        if not selected and not current:
            return
        painter.save()
        if selected:
            painter.fillRect(option.rect, _SELECTED_TINT)
        if current or selected:
            painter.setPen(QPen(_CURRENT_FRAME, 2 if current else 1))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
        painter.restore()


class ValueDelegate(EntryItemDelegate):
    """Right-aligned editor; Enter/Tab/↑/↓ save and move; corner marks for comments and 需跟进."""

    def __init__(self, view: EntryTableView, comment_role: int, follow_up_role: int) -> None:
        super().__init__(view)
        self._view = view
        self._comment_role = comment_role
        self._follow_up_role = follow_up_role

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: ModelIndex) -> QWidget:
        editor = QLineEdit(parent)
        editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        editor.setFrame(False)
        return editor

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            key = event.key()  # type: ignore[attr-defined]
            moves = {
                Qt.Key.Key_Return: DOWN,
                Qt.Key.Key_Enter: DOWN,
                Qt.Key.Key_Down: DOWN,
                Qt.Key.Key_Up: UP,
                Qt.Key.Key_Tab: NEXT,
                Qt.Key.Key_Backtab: PREVIOUS,
            }
            if key in moves:
                direction = moves[key]
                if direction == DOWN and event.modifiers() & Qt.KeyboardModifier.ShiftModifier:  # type: ignore[attr-defined]
                    direction = UP
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                if getattr(self._view.model(), "last_commit_ok", True):
                    self._view.go(direction)
                return True
        return super().eventFilter(editor, event)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: ModelIndex) -> None:
        super().paint(painter, option, index)
        comment = index.data(self._comment_role)
        follow_up = index.data(self._follow_up_role)
        if not comment and not follow_up:
            return
        rect = option.rect
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        if comment:
            painter.setBrush(cells.COMMENT_MARK)
            right, top = rect.right(), rect.top()
            painter.drawPolygon(
                QPolygon([QPoint(right - _MARK, top), QPoint(right, top), QPoint(right, top + _MARK)])
            )
        if follow_up:
            painter.setBrush(cells.FOLLOW_UP)
            left, top = rect.left(), rect.top()
            painter.drawPolygon(
                QPolygon([QPoint(left, top), QPoint(left + _MARK, top), QPoint(left, top + _MARK)])
            )
        painter.restore()
