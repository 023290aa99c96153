"""The one object the program's exception hooks talk to: shows the error dialog on the GUI thread.

It may be called from any thread (a queued signal takes the report to the thread this object lives in) and
shows one dialog at a time. Kept apart from error_dialog so start-up does not pay for the dialog's widgets.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal, Slot


class ErrorReporter(QObject):
    """Shows ErrorDialog for errors reported from any thread; one dialog at a time, the rest only logged."""

    reported = Signal(str, str)

    def __init__(self, log_path: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.dialog = None  # the ErrorDialog on screen, if any
        self.suppressed = 0
        # Auto connection: emitted from a worker thread it is queued to the thread this object lives in.
        self.reported.connect(self._show)

    def report(self, summary: str, details: str) -> None:
        self.reported.emit(summary, details)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            # An error in a paint handler repeats many times a second; one dialog is enough.
            self.suppressed += 1
            return
        from PySide6.QtWidgets import QApplication

        from desktop.ui.error_dialog import ErrorDialog

        parent = QApplication.activeWindow()
        self.dialog = ErrorDialog(summary, details, self.log_path, parent)
        self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog.destroyed.connect(self._forget)
        self.dialog.setModal(True)
        self.dialog.show()

    def _forget(self) -> None:
        self.dialog = None
