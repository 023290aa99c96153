"""The small state object long operations report to (Orange3's habit: a task gets state, never a widget).

An ops function takes `progress: Progress | None`, calls `progress.step(done, total, status)` now and then and
`progress.check()` at safe points. The UI's task runner passes a Progress whose `on_report` forwards to the
GUI thread (throttled there); tests and the command line pass nothing or a plain Progress.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancelled(Exception):
    """Raised inside an operation when the user pressed Cancel; the operation's transaction rolls back."""


class Progress:
    def __init__(self, on_report: Callable[[float, str], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_report = on_report
        self.fraction = 0.0
        self.status = ""

    def cancel(self) -> None:
        """Ask the operation to stop at its next check (safe to call from any thread)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise Cancelled if the user asked to stop."""
        if self._cancel.is_set():
            raise Cancelled()

    def report(self, fraction: float, status: str = "") -> None:
        self.fraction = min(max(fraction, 0.0), 1.0)
        if status:
            self.status = status
        if self._on_report is not None:
            self._on_report(self.fraction, self.status)

    def step(self, done: int, total: int, status: str = "") -> None:
        """Report done/total and check for Cancel in one call (the usual thing to do inside a loop)."""
        self.check()
        self.report(done / total if total else 1.0, status)


def report(progress: Progress | None, fraction: float, status: str = "") -> None:
    """Report to progress if there is one (so ops code need not test for None everywhere)."""
    if progress is not None:
        progress.check()
        progress.report(fraction, status)
