"""Shared fixtures. QT_QPA_PLATFORM is set before anything can import Qt, so tests never need a display.

Each test gets a real SQLite database: the schema is migrated once per session into a template file,
and every test receives its own copy (sqlite-utils' fresh-database-per-test habit, without paying for the
migrations each time).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop.store.db import connect
from desktop.store.migrations import open_database

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Nothing a test does may touch the real user's data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HEALTHDESK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    result = open_database(path)
    result.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    result.conn.close()
    return path


@pytest.fixture
def db_path(template_db: Path, tmp_path: Path) -> Path:
    """Path of a freshly migrated, empty database owned by this test."""
    path = tmp_path / "test.sqlite"
    shutil.copyfile(template_db, path)
    return path


@pytest.fixture
def db(db_path: Path) -> sqlite3.Connection:
    """An open connection to a freshly migrated, empty database owned by this test."""
    conn = connect(db_path)
    yield conn
    conn.close()
