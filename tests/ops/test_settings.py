"""The settings dialog's use case: the name and the monitoring rules checked together, saved together."""

from __future__ import annotations

import math

import pytest

from desktop.ops.changes import OpChanges
from desktop.ops.monitoring import load_status_settings, save_status_settings
from desktop.ops.monitoring_settings import MonitoringError
from desktop.ops.settings import (
    DEFAULT_STATUS,
    STATUS_FIELDS,
    SettingsInvalid,
    load_settings,
    parse_percent,
    percent_text,
    save_settings,
)
from desktop.store.db import get_setting

DEFAULT_TEXTS = {"approx_band": "2", "on_track_ratio": "95", "acceleration_ratio": "60", "count_tolerance": "15",
                 "direction_threshold": "0"}  # fmt: skip


def _settings(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT key, value FROM setting ORDER BY key")]


def test_defaults_are_shown_as_percentages(db):
    settings = load_settings(db)
    assert settings.user_name == "" and settings.effective_user == settings.login_name
    assert {f: percent_text(getattr(settings.status, f)) for f in STATUS_FIELDS} == DEFAULT_TEXTS
    assert settings.status == DEFAULT_STATUS


@pytest.mark.parametrize(
    ("fraction", "text"),
    [(0.02, "2"), (0.025, "2.5"), (0.95, "95"), (0.6, "60"), (0.0, "0"), (1 / 3, "33.333333")],
)
def test_percent_text(fraction, text):
    assert percent_text(fraction) == text


@pytest.mark.parametrize(
    ("text", "fraction"), [("2", 0.02), ("2.5 %", 0.025), ("±3", 0.03), ("２．３％", 0.023), (" 15% ", 0.15)]
)
def test_percentages_are_read_as_typed(text, fraction):
    assert parse_percent("approx_band" if fraction < 0.1 else "count_tolerance", text) == fraction


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("approx_band", "60", "“左右”的允许偏差应在 0% 到 50% 之间，现在是 60%"),
        ("approx_band", "-1", "应在 0% 到 50% 之间，现在是 -1%"),
        ("on_track_ratio", "250", "进展顺利的进度比应在 0% 到 200% 之间"),
        ("count_tolerance", "abc", "计数指标的允许偏差须是数字"),
        ("count_tolerance", "nan", "须是数字"),
        ("direction_threshold", "  ", "请填写趋势目标的最小变动"),
    ],
)
def test_bad_percentages_name_the_setting(name, text, message):
    with pytest.raises(SettingsInvalid) as info:
        parse_percent(name, text)
    assert list(info.value.problems) == [name]
    assert message in info.value.message


def test_name_and_rules_are_saved_in_one_go(db):
    texts = {**DEFAULT_TEXTS, "approx_band": "3", "count_tolerance": "10"}
    changes = save_settings(db, " 王秀英 ", texts)
    assert changes == OpChanges(plans=True, settings=True)
    assert get_setting(db, "user_name") == "王秀英"
    settings = load_status_settings(db)
    assert (settings.approx_band, settings.count_tolerance) == (0.03, 0.10)
    # Only what changed is written: the other rules keep following the program's defaults.
    assert [k for k, _v in _settings(db)] == [
        "monitoring.approx_band",
        "monitoring.count_tolerance",
        "user_name",
    ]


def test_a_name_alone_does_not_make_monitoring_recompute(db):
    assert save_settings(db, "王秀英", DEFAULT_TEXTS) == OpChanges(settings=True)
    assert save_settings(db, "王秀英", DEFAULT_TEXTS) == OpChanges()  # nothing changed, nothing written


def test_every_problem_is_reported_and_nothing_is_written(db):
    save_settings(db, "李娜", {**DEFAULT_TEXTS, "approx_band": "4"})
    before = _settings(db)
    with pytest.raises(SettingsInvalid) as info:
        save_settings(
            db,
            "王" * 21,
            {**DEFAULT_TEXTS, "approx_band": "90", "on_track_ratio": "x", "count_tolerance": "5"},
        )
    assert set(info.value.problems) == {"user_name", "approx_band", "on_track_ratio"}
    assert "不能超过 20 个字" in info.value.problems["user_name"]
    assert _settings(db) == before  # the valid count tolerance was not written either


@pytest.mark.parametrize(
    ("texts", "field"),
    [
        ({"acceleration_ratio": "99"}, "acceleration_ratio"),
        ({"on_track_ratio": "50"}, "on_track_ratio"),
        ({"on_track_ratio": "50", "acceleration_ratio": "70"}, "acceleration_ratio"),
    ],
)
def test_the_two_ratios_must_stay_in_order(db, texts, field):
    with pytest.raises(SettingsInvalid) as info:
        save_settings(db, "王秀英", {**DEFAULT_TEXTS, **texts})
    assert info.value.problems == {field: "“需加快”的进度比不能高于“进展顺利”的进度比"}
    assert _settings(db) == []  # not even the name


def test_restoring_the_defaults_writes_them_back(db):
    save_status_settings(db, approx_band=0.05, on_track_ratio=0.9)
    assert save_settings(db, "", DEFAULT_TEXTS) == OpChanges(plans=True, settings=True)
    assert load_status_settings(db) == DEFAULT_STATUS


def test_a_failure_half_way_rolls_the_name_back(db, monkeypatch):
    import desktop.ops.settings as settings_ops

    def broken(conn, **values):
        raise MonitoringError("磁盘已满", "approx_band")

    monkeypatch.setattr(settings_ops, "save_status_settings", broken)
    with pytest.raises(MonitoringError):
        save_settings(db, "王秀英", {**DEFAULT_TEXTS, "approx_band": "3"})
    assert _settings(db) == []


def test_monitoring_errors_name_their_field(db):
    with pytest.raises(MonitoringError) as info:
        save_status_settings(db, count_tolerance=math.inf)
    assert info.value.field == "count_tolerance"
