"""The project status rule: 完成 > 停缓建 > 滞后 > 按期, computed from dates."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.project_status import (
    DONE,
    LATE,
    ON_TRACK,
    SUSPENDED,
    MilestoneDates,
    project_status,
    to_date,
)

TODAY = date(2024, 6, 15)


def status(**kwargs):
    args = {
        "planned_finish": None,
        "actual_finish": None,
        "suspended": False,
        "milestones": (),
        "today": TODAY,
    }
    args.update(kwargs)
    return project_status(**args)


def test_finished_project_is_done_even_if_late_and_suspended():
    result = status(
        planned_finish="2023-12-31",
        actual_finish="2024-02-10",
        suspended=True,
        milestones=[MilestoneDates("主体完工", "2023-06-30", None)],
    )
    assert result.status == DONE
    assert "2024-02-10" in result.reason and "晚 41 天" in result.reason
    assert result.days_late == 0 and not result.is_late


def test_finished_on_time_says_only_when():
    result = status(planned_finish="2024-12-31", actual_finish="2024-05-01")
    assert result.status == DONE
    assert result.reason == "已于 2024-05-01 完工"


def test_suspended_wins_over_late():
    result = status(planned_finish="2023-12-31", suspended=True)
    assert result.status == SUSPENDED
    assert result.reason == "已标记为停缓建"


def test_planned_finish_passed_is_late():
    result = status(planned_finish="2024-06-14")
    assert result.status == LATE
    assert result.days_late == 1
    assert "2024-06-14" in result.reason and "超期 1 天" in result.reason


def test_planned_finish_today_is_not_yet_late():
    result = status(planned_finish=TODAY)
    assert result.status == ON_TRACK
    assert "尚余 0 天" in result.reason


def test_overdue_milestone_makes_a_project_late_before_its_finish_date():
    milestones = [
        MilestoneDates("立项批复", "2023-03-01", "2023-02-20"),
        MilestoneDates("主体封顶", "2024-05-31", None),
        MilestoneDates("竣工验收", "2025-06-30", None),
    ]
    result = status(planned_finish="2025-12-31", milestones=milestones)
    assert result.status == LATE
    assert result.overdue_milestones == ("主体封顶",)
    assert result.days_late == 15
    assert "主体封顶" in result.reason and "2024-05-31" in result.reason


def test_done_milestone_is_not_overdue_even_if_done_late():
    milestones = [MilestoneDates("主体封顶", "2024-05-31", "2024-06-10")]
    result = status(planned_finish="2025-12-31", milestones=milestones)
    assert result.status == ON_TRACK
    assert result.next_milestone is None


def test_marking_the_overdue_milestone_done_turns_late_into_on_track():
    late = [MilestoneDates("主体封顶", "2024-05-31", None), MilestoneDates("竣工", "2024-12-31", None)]
    assert status(milestones=late).status == LATE
    fixed = [MilestoneDates("主体封顶", "2024-05-31", "2024-06-01"), late[1]]
    result = status(milestones=fixed)
    assert result.status == ON_TRACK
    assert result.next_milestone.name == "竣工"
    assert "竣工" in result.reason and "2024-12-31" in result.reason


def test_both_reasons_are_given_and_many_milestones_are_summarised():
    milestones = [MilestoneDates(f"节点{i}", f"2024-0{i}-01", None) for i in range(1, 5)]
    result = status(planned_finish="2024-03-31", milestones=milestones)
    assert result.status == LATE
    assert result.reason.startswith("计划 2024-03-31 完工")
    assert "节点1" in result.reason and "节点2" in result.reason and "节点3" not in result.reason
    assert "等 4 个节点" in result.reason
    assert result.days_late == (TODAY - date(2024, 1, 1)).days


def test_no_dates_is_on_track_but_says_why():
    result = status()
    assert result.status == ON_TRACK
    assert "未填写计划完工日期" in result.reason


def test_milestones_without_due_dates_never_make_a_project_late():
    result = status(milestones=[MilestoneDates("开展宣传", None, None)])
    assert result.status == ON_TRACK


def test_to_date_accepts_dates_text_and_blank():
    assert to_date(None) is None
    assert to_date("  ") is None
    assert to_date("2024-02-29") == date(2024, 2, 29)
    assert to_date(date(2024, 1, 1)) == date(2024, 1, 1)
    with pytest.raises(ValueError):
        to_date("2024-02-30")


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"actual_finish": "2020-01-01", "suspended": True}, DONE),
        ({"suspended": True, "planned_finish": "2020-01-01"}, SUSPENDED),
        ({"planned_finish": "2020-01-01"}, LATE),
        ({"planned_finish": "2030-01-01"}, ON_TRACK),
    ],
)
def test_rule_order(kwargs, expected):
    assert status(**kwargs).status == expected
