"""Report templates as data: the shipped ones load, and every mistake in a template names its file and key."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from desktop.core import paths
from desktop.io.template_model import format_valid_until, parse_valid_until
from desktop.io.templates import TemplateError, load_template, load_templates

MINIMAL = """
format = 1
id = "demo"
title = "测试年报"
layout = "rows"
period_type = "year"

[identity]
table_no = "测试1表"
issuer = "某卫生健康委"
approver = "某统计局"
approval_no = "某统制〔2024〕1号"
valid_until = "2027-12"

[[columns]]
key = "name"
field = "name"

[[columns]]
key = "code"
field = "code"

[[columns]]
key = "current"
kind = "value"

[[rows]]
code = "01"
name = "床位"
rollup = "BEDS_ACTUAL"

[[rows]]
code = "01.1"
name = "其中：实有"
element = "BEDS_APPROVED"

[[rows]]
code = "02"
name = "每千人床位"
formula = "[01] / 1000"
"""


def _write(tmp_path: Path, text: str, name: str = "demo.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_four_shipped_returns_load_with_their_layouts():
    templates = {t.id: t for t in load_templates(paths.templates_dir())}
    assert {t.layout for t in templates.values()} >= {"rows", "units", "plan_indicators", "projects"}
    expected = {
        "resources-annual": ("rows", "year"),
        "screening-quarterly": ("units", "quarter"),
        "plan-monitoring": ("plan_indicators", "year"),
        "key-projects": ("projects", "quarter"),
    }
    for template_id, (layout, period_type) in expected.items():
        template = templates[template_id]
        assert (template.layout, template.period_type) == (layout, period_type)
        for label, value in template.identity.lines():
            assert value, label
        assert template.identity.valid_until_date is not None
        assert template.code_column is not None
        assert template.notes
    resources = templates["resources-annual"]
    assert [c.title for c in resources.columns][:3] == ["指标名称", "代码", "计量单位"]
    assert resources.row("01.1").level == 1 and resources.row("01.1.1.1").level == 3
    assert resources.row("08").source.kind == "formula"
    assert resources.row("08").source.depends_on == ("03", "07")
    assert "01≥01.1+01.2+01.3" in resources.relations
    # Listed in the order the program offers them, the county's annual return first.
    assert next(iter(load_templates(paths.templates_dir()))).id == "resources-annual"


def test_column_numbers_are_letters_for_descriptions_then_digits():
    template = load_template(paths.templates_dir() / "resources-annual.toml")
    assert [c.number for c in template.columns] == ["甲", "乙", "丙", "1", "2", "3"]
    screening = load_template(paths.templates_dir() / "screening-quarterly.toml")
    assert [c.number for c in screening.columns][:4] == ["甲", "乙", "1", "2"]
    assert screening.column("cervical_rate").source.depends_on == ("cervical_done", "cervical_quota")


def test_minimal_template_reads(tmp_path):
    template = load_template(_write(tmp_path, MINIMAL))
    assert template.id == "demo" and len(template.rows) == 3
    assert template.row("01").source.kind == "rollup" and template.row("01").source.stored
    assert template.row("02").source.kind == "formula" and not template.row("02").source.stored
    assert template.importable


@pytest.mark.parametrize(
    ("change", "key", "words"),
    [
        (('name = "床位"', 'name = "床位"\ncolour = "red"'), "rows[1].colour", "不认识"),
        (('table_no = "测试1表"\n', ""), "identity.table_no", "缺少"),
        (('formula = "[01] / 1000"', 'formula = "[99] / 1000"'), "rows[3].formula", "[99]"),
        (('formula = "[01] / 1000"', 'formula = "[01] / "'), "rows[3].formula", "写法有误"),
        (('formula = "[01] / 1000"', 'formula = "BEDS / 1000"'), "rows[3].formula", "方括号"),
        (('valid_until = "2027-12"', 'valid_until = "明年"'), "identity.valid_until", "不是日期"),
        (('code = "01.1"', 'code = "01"'), "rows[2].code", "重复"),
        (('code = "01.1"', 'code = "第一行"'), "rows[2].code", "格式不对"),
        (('layout = "rows"', 'layout = "cards"'), "layout", "之一"),
        (('rollup = "BEDS_ACTUAL"', 'rollup = "beds"'), "rows[1].rollup", "不是代码"),
        (
            ('rollup = "BEDS_ACTUAL"', 'rollup = "BEDS_ACTUAL"\nelement = "X"'),
            "rows[1]",
            "只能有一个数据来源",
        ),
        (('kind = "value"', 'kind = "value"\nrollup = "BEDS_ACTUAL"'), "columns[3]", "写在各行"),
        (('id = "demo"', 'id = "Demo Return"'), "id", "小写字母"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path, change, key, words):
    old, new = change
    assert old in MINIMAL
    path = _write(tmp_path, MINIMAL.replace(old, new, 1))
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert caught.value.key == key
    assert "demo.toml" in caught.value.message and key in caught.value.message
    assert words in caught.value.message


def test_formula_cycle_is_refused(tmp_path):
    text = MINIMAL.replace('rollup = "BEDS_ACTUAL"', 'formula = "[02] + 1"')
    with pytest.raises(TemplateError) as caught:
        load_template(_write(tmp_path, text))
    assert "循环引用" in caught.value.message and "01 → 02 → 01" in caught.value.message


def test_bad_toml_and_bad_encoding_are_named(tmp_path):
    with pytest.raises(TemplateError) as caught:
        load_template(_write(tmp_path, MINIMAL + "\n[identity\n"))
    assert "demo.toml" in caught.value.message and "TOML" in caught.value.message
    path = tmp_path / "gbk.toml"
    path.write_bytes("title = '测试'".encode("gbk"))
    with pytest.raises(TemplateError, match="UTF-8"):
        load_template(path)


def test_duplicate_ids_across_files_are_refused(tmp_path):
    _write(tmp_path, MINIMAL, "a.toml")
    _write(tmp_path, MINIMAL, "b.toml")
    with pytest.raises(TemplateError) as caught:
        load_templates(tmp_path)
    assert "b.toml" in caught.value.message and "a.toml" in caught.value.message


def test_valid_until_readings():
    assert parse_valid_until("2026-12") == date(2026, 12, 31)
    assert parse_valid_until("2026年2月") == date(2026, 2, 28)
    assert parse_valid_until("2026-06-30") == date(2026, 6, 30)
    assert parse_valid_until("2026年6月30日") == date(2026, 6, 30)
    assert parse_valid_until("2026-13") is None and parse_valid_until("长期") is None
    assert format_valid_until("2026-12") == "2026年12月"
    assert format_valid_until("2026-06-30") == "2026年6月30日"
    template = load_template(paths.templates_dir() / "resources-annual.toml")
    assert not template.identity.expired_on(date(2027, 12, 31))
    assert template.identity.expired_on(date(2028, 1, 1))


def test_mistakes_a_template_editor_makes_are_said_plainly(tmp_path):
    """A row referring to itself, a duplicated row code, an unquoted date, a broken quote: each message says
    where (file, key or line) and what, in Chinese, without Python's repr or tomllib's English alone."""
    cases = [
        (('formula = "[01] / 1000"', 'formula = "[02] / 1000"'), "rows[3].formula", "不能引用本行"),
        (('code = "01.1"', 'code = "01"'), "rows[2].code", "rows[1] 已用过"),
        (('name = "床位"', "name = 3"), "rows[1].name", "应为文字（加引号），现在是 3"),
    ]
    for (old, new), key, words in cases:
        with pytest.raises(TemplateError) as caught:
            load_template(_write(tmp_path, MINIMAL.replace(old, new, 1)))
        assert caught.value.key == key and words in caught.value.message, caught.value.message
    # 有效期至 written as a TOML date (no quotes) is the date it plainly is.
    unquoted = load_template(_write(tmp_path, MINIMAL.replace('"2027-12"', "2027-12-31")))
    assert unquoted.identity.valid_until == "2027-12-31" and unquoted.identity.valid_until_date.day == 31
    with pytest.raises(TemplateError) as caught:
        load_template(_write(tmp_path, MINIMAL.replace('title = "测试年报"', 'title = "测试年报')))
    message = caught.value.message
    assert "demo.toml" in message and "第 4 行第" in message and "引号没有配对" in message
    assert "datetime" not in message


def test_one_broken_file_does_not_hide_the_others(tmp_path):
    _write(tmp_path, MINIMAL, "a.toml")
    _write(tmp_path, MINIMAL.replace('id = "demo"', 'id = "other"').replace("[01] / 1000", "[77]"), "b.toml")
    with pytest.raises(TemplateError, match=r"b\.toml.*\[77\]"):
        load_templates(tmp_path)  # strict by default
    problems: list[TemplateError] = []
    assert [t.id for t in load_templates(tmp_path, problems)] == ["demo"]
    (problem,) = problems
    assert problem.path.name == "b.toml" and problem.key == "rows[3].formula"
