"""Edits with undo: every change goes through ops (saved at once, with its audit row) and onto a QUndoStack.

A command holds the cells' stored state before and after; undo and redo put that state back through
ops.entry.restore_cells, so an undo is itself a saved, audited change ("撤销"), never a change only on screen.
The first redo is skipped because the edit was saved before the command was pushed (a refused value is never
pushed at all).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from desktop.core.value_rules import ValueRefused
from desktop.ops import entry
from desktop.ops.changes import OpChanges
from desktop.ops.entry import CellKey, CellRefused, CellState


class SnapshotCommand(QUndoCommand):
    """Cells from `before` to `after`; undo/redo restore through the controller."""

    def __init__(
        self,
        controller: EditController,
        before: Mapping[CellKey, CellState],
        after: Mapping[CellKey, CellState],
        text: str,
    ) -> None:
        super().__init__(text)
        self._controller = controller
        self._before = dict(before)
        self._after = dict(after)
        self._done_already = True

    def redo(self) -> None:
        if self._done_already:
            self._done_already = False
            return
        if not self._controller.restore(self._after, entry.REDO_REASON):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._controller.restore(self._before, entry.UNDO_REASON):
            self.setObsolete(True)


class EditController(QObject):
    """Saves what the grids and dialogs ask for, with undo. Signals carry what changed or why it was refused."""

    saved = Signal(object)  # OpChanges, after any write (also after undo/redo)
    refused = Signal(object, str)  # CellKey or None, Chinese message

    def __init__(
        self, conn: sqlite3.Connection, user: Callable[[], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._conn = conn
        self._user = user
        self.undo_stack = QUndoStack(self)

    # --- edits ---------------------------------------------------------------------------------------------

    def save_values(self, edits: Sequence[tuple[CellKey, object]], text: str) -> bool:
        """Save typed values (one undo step for all of them). False, with `refused` emitted, if any is refused."""
        keys = [key for key, _raw in edits]
        try:
            before = entry.read_cells(self._conn, keys)
            entry.save_cells(self._conn, edits, user=self._user())
        except CellRefused as exc:
            self.refused.emit(exc.key, exc.message)
            return False
        except ValueRefused as exc:
            self.refused.emit(keys[0] if keys else None, exc.message)
            return False
        self._push(before, text)
        return True

    def set_comment(self, key: CellKey, text: str | None, follow_up: bool | None = None) -> bool:
        """Comment (and optionally the 需跟进 flag) of one cell, as one undo step."""

        def write() -> None:
            entry.set_comment(self._conn, key, text, user=self._user())
            if follow_up is not None and entry.read_cells(self._conn, [key])[key].value is not None:
                entry.set_follow_up(self._conn, key, follow_up, user=self._user())

        return self._run([key], write, self.tr("修改备注"))

    def set_follow_up(self, key: CellKey, flag: bool) -> bool:
        text = self.tr("标记需跟进") if flag else self.tr("取消需跟进")
        return self._run([key], lambda: entry.set_follow_up(self._conn, key, flag, user=self._user()), text)

    def set_provenance(self, key: CellKey, **kwargs: object) -> bool:
        """ops.entry.set_provenance with undo (kwargs: provenance, formula, source, raw_value)."""
        return self._run(
            [key],
            lambda: entry.set_provenance(self._conn, key, user=self._user(), **kwargs),  # type: ignore[arg-type]
            self.tr("注明分母来源"),
        )

    def _run(self, keys: list[CellKey], write: Callable[[], object], text: str) -> bool:
        try:
            before = entry.read_cells(self._conn, keys)
            write()
        except ValueRefused as exc:
            self.refused.emit(getattr(exc, "key", keys[0]), exc.message)
            return False
        self._push(before, text)
        return True

    def _push(self, before: Mapping[CellKey, CellState], text: str) -> None:
        after = entry.read_cells(self._conn, list(before))
        changed = {k: v for k, v in before.items() if after[k] != v}
        if changed:
            self.undo_stack.push(SnapshotCommand(self, changed, {k: after[k] for k in changed}, text))
        self.saved.emit(OpChanges(values=bool(changed)))

    # --- undo / redo ---------------------------------------------------------------------------------------

    def restore(self, states: Mapping[CellKey, CellState], reason: str) -> bool:
        """Called by commands: put cells back; False (and `refused`) when the cells are now locked."""
        try:
            entry.restore_cells(self._conn, states, user=self._user(), reason=reason)
        except ValueRefused as exc:
            self.refused.emit(getattr(exc, "key", None), exc.message)
            return False
        self.saved.emit(OpChanges(values=True))
        return True

    def clear(self) -> None:
        """Forget the undo history (the page shows another return)."""
        self.undo_stack.clear()
