"""Where things live: bundled data beside the code, and the user's own data folder.

The one module that knows about the frozen (PyInstaller) case, so nothing else has to.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from desktop import APP_DIR_NAME

DB_FILE_NAME = "healthdesk.sqlite"


def install_root() -> Path:
    """The folder holding db/, resources/ and report_templates/.

    From a checkout or an editable install that is the repository root; in a PyInstaller bundle it is the
    bundle's data folder (sys._MEIPASS), where build_installer.spec puts the same three folders.
    """
    if getattr(sys, "frozen", False):
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parents[2]


def migrations_dir() -> Path:
    return install_root() / "db" / "migrations"


def seed_dir() -> Path:
    return install_root() / "db" / "seed"


def resources_dir() -> Path:
    return install_root() / "resources"


def templates_dir() -> Path:
    return install_root() / "report_templates"


def user_data_dir() -> Path:
    """The per-user folder for the database, backups and logs (not created here).

    HEALTHDESK_HOME overrides it, which tests and portable installs use.
    """
    override = os.environ.get("HEALTHDESK_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = (
            os.environ.get("LOCALAPPDATA")
            or os.environ.get("APPDATA")
            or str(Path.home() / "AppData" / "Local")
        )
        return Path(base) / APP_DIR_NAME
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / APP_DIR_NAME
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / APP_DIR_NAME


def default_db_path() -> Path:
    return user_data_dir() / DB_FILE_NAME


def backups_dir_for(db_path: Path) -> Path:
    """Backups sit beside the database they protect, so moving the folder moves both."""
    return db_path.parent / "backups"


def log_dir() -> Path:
    return user_data_dir() / "logs"
