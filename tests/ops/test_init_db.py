"""First start and opening: a new file gets the plan library (and the demo when asked); an old one is kept."""

from __future__ import annotations

import pytest

from desktop.core import paths
from desktop.ops.init_db import init_database, open_or_create_default
from desktop.ops.progress import Cancelled, Progress
from desktop.store import orgunits, plans, values


def test_new_file_with_demo(tmp_path):
    seen: list[float] = []
    result = init_database(tmp_path / "new.sqlite", demo=True, progress=Progress(lambda f, s: seen.append(f)))
    try:
        assert result.created and result.migrated_to >= 1 and result.backup_path is None
        assert result.plans is not None and len(result.plans.plans_loaded) == 3
        assert result.demo is not None and result.demo.values > 0
        assert orgunits.count_org_units(result.conn) == result.demo.org_units
        assert result.changes.values and result.changes.plans and result.changes.org_units
        assert seen[-1] == 1.0 and seen == sorted(seen)
    finally:
        result.conn.close()


def test_reopening_adds_nothing(tmp_path):
    path = tmp_path / "db.sqlite"
    init_database(path, demo=True).conn.close()
    again = init_database(path, demo=True)
    try:
        assert not again.created and again.plans is None and again.demo is None
        assert not again.changes.any
        assert len(plans.list_plans(again.conn)) == 3
    finally:
        again.conn.close()


def test_without_demo_only_the_plan_library(tmp_path):
    result = init_database(tmp_path / "empty.sqlite", demo=False)
    try:
        assert result.demo is None and len(plans.list_plans(result.conn)) == 3
        assert orgunits.count_org_units(result.conn) == 0 and values.count_values(result.conn) == 0
    finally:
        result.conn.close()


def test_first_start_creates_the_default_file_with_the_demo():
    path = paths.default_db_path()  # inside the per-test HEALTHDESK_HOME (conftest)
    assert not path.exists()
    first = open_or_create_default()
    try:
        assert first.path == path and first.created and first.demo is not None
        county_values = values.count_values(first.conn)
    finally:
        first.conn.close()
    second = open_or_create_default()
    try:
        assert (
            not second.created and second.demo is None and values.count_values(second.conn) == county_values
        )
    finally:
        second.conn.close()


def test_existing_real_data_never_gets_the_demo(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHDESK_HOME", str(tmp_path))
    init_database(paths.default_db_path(), demo=False).conn.close()  # a user's file without org units
    result = open_or_create_default()
    try:
        assert result.demo is None and orgunits.count_org_units(result.conn) == 0
    finally:
        result.conn.close()


def test_cancel_leaves_no_half_loaded_library(tmp_path):
    progress = Progress()
    progress.cancel()
    path = tmp_path / "cancelled.sqlite"
    with pytest.raises(Cancelled):
        init_database(path, demo=True, progress=progress)
    reopened = init_database(path, demo=False)
    try:
        # The cancelled load rolled back whole; this open loads the library from scratch.
        assert reopened.plans is not None and len(reopened.plans.plans_loaded) == 3
    finally:
        reopened.conn.close()


def test_an_emptied_default_file_with_backups_is_refused_not_refilled_with_the_demo(tmp_path, monkeypatch):
    from desktop.ops.backups import backup_now
    from desktop.store.db import DamagedDatabase

    monkeypatch.setenv("HEALTHDESK_HOME", str(tmp_path))
    path = paths.default_db_path()
    init_database(path, demo=False).conn.close()  # the user's real data
    backup_now(path)
    path.write_bytes(b"")  # what a power cut can leave
    with pytest.raises(DamagedDatabase) as info:
        open_or_create_default()
    assert "空文件" in info.value.message
    assert path.stat().st_size == 0


def test_an_empty_default_file_without_backups_is_a_first_start(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHDESK_HOME", str(tmp_path))
    path = paths.default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")  # e.g. the first start was killed before it wrote anything
    result = open_or_create_default()
    try:
        assert result.demo is not None
    finally:
        result.conn.close()
