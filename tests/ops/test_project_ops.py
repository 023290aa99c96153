"""The project register: computed statuses, filters, and saving a project with its milestones at once."""

from __future__ import annotations

from datetime import date

import pytest

from desktop.core.project_status import DONE, LATE, ON_TRACK, SUSPENDED
from desktop.ops import projects as ops
from desktop.store import plans, projects

TODAY = date(2024, 6, 15)


@pytest.fixture
def register(db):
    plan_id = plans.insert_plan(db, code="p", title="昌乐县“十四五”卫生与健康规划", short_title="十四五规划")
    ids = {
        "late": projects.insert_project(db, name="县医院新院区二期", plan_id=plan_id, stage="在建",
                                        planned_finish="2024-05-31"),
        "milestone": projects.insert_project(db, name="乔官卫生院搬迁", plan_id=plan_id, stage="前期",
                                             planned_finish="2025-12-31", lead_department="县卫健局"),
        "done": projects.insert_project(db, name="接种门诊改造", plan_id=plan_id, stage="投用",
                                        planned_finish="2024-06-30", actual_finish="2024-05-20"),
        "suspended": projects.insert_project(db, name="康养中心", stage="在建", planned_finish="2023-12-31",
                                             suspended=True),
        "quiet": projects.insert_project(db, name="健康科普行动", plan_id=plan_id),
    }  # fmt: skip
    projects.insert_milestone(db, project_id=ids["milestone"], name="立项批复", due_on="2024-03-31")
    projects.insert_milestone(db, project_id=ids["milestone"], name="开工", due_on="2024-09-30", sort_order=1)
    return plan_id, ids


def _by_name(rows):
    return {r.project.name: r for r in rows}


def test_statuses_are_computed_from_dates(db, register):
    rows = _by_name(ops.list_project_rows(db, TODAY))
    assert rows["县医院新院区二期"].status.status == LATE
    assert rows["乔官卫生院搬迁"].status.status == LATE
    assert rows["乔官卫生院搬迁"].status.overdue_milestones == ("立项批复",)
    assert rows["接种门诊改造"].status.status == DONE
    assert rows["康养中心"].status.status == SUSPENDED
    assert rows["健康科普行动"].status.status == ON_TRACK
    assert rows["乔官卫生院搬迁"].plan_title == "十四五规划"
    assert ops.count_by_status(rows.values()) == {LATE: 2, DONE: 1, SUSPENDED: 1, ON_TRACK: 1}


def test_filters(db, register):
    plan_id, _ids = register
    rows = ops.list_project_rows(db, TODAY)

    def names(**kwargs):
        return sorted(r.project.name for r in ops.filter_rows(rows, ops.RegisterFilter(**kwargs)))

    assert len(names()) == 5
    assert names(plan_id=plan_id, late_only=True) == ["乔官卫生院搬迁", "县医院新院区二期"]
    assert names(stage="在建") == ["县医院新院区二期", "康养中心"]
    assert names(status=DONE) == ["接种门诊改造"]
    assert names(text="卫健局") == ["乔官卫生院搬迁"]
    assert names(org_unit_ids=frozenset({999})) == []


def test_marking_the_overdue_milestone_done_makes_the_project_on_track(db, register):
    _plan, ids = register
    project = projects.get_project(db, ids["milestone"])
    data = ops.ProjectInput.from_project(project, projects.list_milestones(db, project.id))
    data.milestones[0].done_on = "2024年3月28日"
    data.milestones.append(ops.MilestoneInput("主体完工", "2025/6/30"))
    result = ops.save_project(db, project.id, data, today=TODAY)
    assert result.changes.projects
    stored = projects.list_milestones(db, project.id)
    assert [(m.name, m.due_on, m.done_on, m.sort_order) for m in stored] == [
        ("立项批复", "2024-03-31", "2024-03-28", 0),
        ("开工", "2024-09-30", None, 1),
        ("主体完工", "2025-06-30", None, 2),
    ]
    row = _by_name(ops.list_project_rows(db, TODAY))["乔官卫生院搬迁"]
    assert row.status.status == ON_TRACK and row.milestones_done == 1


def test_removed_milestones_are_deleted_and_new_projects_created(db, register):
    _plan, ids = register
    project = projects.get_project(db, ids["milestone"])
    data = ops.ProjectInput.from_project(project, projects.list_milestones(db, project.id))
    del data.milestones[0]
    ops.save_project(db, project.id, data, today=TODAY)
    assert [m.name for m in projects.list_milestones(db, project.id)] == ["开工"]

    new = ops.ProjectInput(
        name="  胸痛中心建设 ", stage="谋划", planned_investment="1,200.5万元", lead_department=" ",
        milestones=[ops.MilestoneInput("通过验收", "2025-12-31")],
    )  # fmt: skip
    created = ops.save_project(db, None, new, today=TODAY).project_id
    stored = projects.get_project(db, created)
    assert (stored.name, stored.planned_investment, stored.lead_department) == ("胸痛中心建设", 1200.5, None)
    assert [m.name for m in projects.list_milestones(db, created)] == ["通过验收"]
    ops.delete_project(db, created)
    assert projects.get_project(db, created) is None and projects.list_milestones(db, created) == []


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"name": " "}, "name", "项目名称不能为空"),
        ({"planned_finish": "明年"}, "planned_finish", "应填日期"),
        (
            {"planned_start": "2025-01-01", "planned_finish": "2024-12-31"},
            "planned_finish",
            "不能早于计划开工",
        ),
        ({"actual_start": "2024-07-01"}, "actual_start", "不能晚于今天"),
        ({"planned_investment": "-5"}, "planned_investment", "不能小于 0"),
        ({"stage": "完工"}, "stage", "阶段应为"),
    ],
)
def test_invalid_projects_are_refused_and_nothing_is_written(db, register, change, field, text):
    _plan, ids = register
    project = projects.get_project(db, ids["quiet"])
    data = ops.ProjectInput.from_project(project, [])
    for key, value in change.items():
        setattr(data, key, value)
    with pytest.raises(ops.ProjectInvalid) as caught:
        ops.save_project(db, project.id, data, today=TODAY)
    assert caught.value.field == field and text in caught.value.message
    assert projects.get_project(db, project.id) == project


def test_invalid_milestones_name_their_row(db):
    data = ops.ProjectInput(
        name="新项目", milestones=[ops.MilestoneInput("a"), ops.MilestoneInput("b", "2024-13-01")]
    )
    with pytest.raises(ops.ProjectInvalid) as caught:
        ops.save_project(db, None, data, today=TODAY)
    assert caught.value.milestone_row == 1 and "第 2 个节点" in caught.value.message
    data = ops.ProjectInput(name="新项目", milestones=[ops.MilestoneInput("a", done_on="2024-07-01")])
    with pytest.raises(ops.ProjectInvalid, match="不能晚于今天"):
        ops.save_project(db, None, data, today=TODAY)
    assert projects.get_project_by_name(db, None, "新项目") is None
