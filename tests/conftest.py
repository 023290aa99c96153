"""Shared fixtures. QT_QPA_PLATFORM is set before anything can import Qt, so tests never need a display.

Each test gets a real SQLite database: the schema is migrated once per session into a template file,
and every test receives its own copy (sqlite-utils' fresh-database-per-test habit, without paying for the
migrations each time). The demo county is built the same way: once per session, copied per test.

Helpers shared by several test modules live in tests/helpers/ (on sys.path through pyproject's pytest
`pythonpath`), never in a test module another one imports.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from desktop.ops.init_db import init_database
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


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo county (init_database with demo=True), built once per session into a closed file; never
    open it directly, take demo_path or demo."""
    path = tmp_path_factory.mktemp("demo-template") / "demo.sqlite"
    conn = init_database(path, demo=True).conn
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_path(demo_template: Path, tmp_path: Path) -> Path:
    """Path of this test's own copy of the demo county."""
    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    return path


@pytest.fixture
def demo(demo_path: Path) -> sqlite3.Connection:
    """An open connection to this test's own copy of the demo county."""
    conn = connect(demo_path)
    yield conn
    conn.close()
