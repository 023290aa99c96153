"""The log files: a rotating file in the user's log folder, shared by the window and the command line."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from desktop.core import paths

LOG_MAX_BYTES = 1_000_000
LOG_BACKUPS = 5


def setup_file_log(file_name: str, directory: Path | None = None) -> Path | None:
    """Log to a rotating file_name in the log folder. Returns its path, or None if it cannot be written."""
    directory = directory or paths.log_dir()
    path = directory / file_name
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == str(path) for h in root.handlers):
        return path
    try:
        directory.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError:
        # Without any handler, logging's last resort prints log.exception's traceback to stderr — the one
        # thing a user must never see. The errors are still reported, in one line or a dialog.
        if not root.handlers:
            root.addHandler(logging.NullHandler())
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path
