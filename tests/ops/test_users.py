"""The user's name: stored in the `user_name` setting, else the login name; checked before it is stored."""

from __future__ import annotations

import getpass

import pytest

from desktop.ops import users
from desktop.ops.changes import OpChanges
from desktop.ops.users import (
    UserNameInvalid,
    check_user_name,
    current_user,
    set_current_user,
    stored_user_name,
)
from desktop.ops.values import save_value
from desktop.store.db import get_setting, set_setting


def _settings(conn) -> list[tuple]:
    return [tuple(r) for r in conn.execute("SELECT key, value FROM setting ORDER BY key")]


def test_without_a_name_the_login_name_is_used(db):
    assert stored_user_name(db) == ""
    assert current_user(db) == getpass.getuser()


def test_no_login_name_reads_unsigned(db, monkeypatch):
    def no_login():
        raise OSError("No username set in the environment")

    monkeypatch.setattr(users.getpass, "getuser", no_login)
    assert current_user(db) == "未署名"


def test_the_setting_written_by_earlier_versions_is_read(db):
    set_setting(db, "user_name", "王秀英")
    assert current_user(db) == "王秀英"


def test_set_current_user_trims_stores_and_reports_a_settings_change(db):
    assert set_current_user(db, "  王秀英　") == OpChanges(settings=True)  # a full-width space too
    assert get_setting(db, "user_name") == "王秀英"
    assert current_user(db) == "王秀英"
    assert set_current_user(db, "王秀英") == OpChanges()  # nothing to write


def test_an_empty_name_falls_back_to_the_login(db):
    set_current_user(db, "王秀英")
    assert set_current_user(db, "   ") == OpChanges(settings=True)
    assert get_setting(db, "user_name") is None
    assert current_user(db) == getpass.getuser()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("王" * 21, "姓名不能超过 20 个字，现在是 21 个字"),
        ("王\t秀英", "控制字符"),
        ("王秀英\n李娜", "控制字符"),
        ("王\u200b秀英", "不可见字符"),  # a zero-width space pasted from a web page
    ],
)
def test_bad_names_are_refused_and_nothing_is_written(db, text, message):
    set_current_user(db, "李娜")
    before = _settings(db)
    with pytest.raises(UserNameInvalid) as info:
        set_current_user(db, text)
    assert message in info.value.message
    assert _settings(db) == before


def test_twenty_characters_and_inner_spaces_are_fine():
    assert check_user_name("欧阳" + "娜" * 18) == "欧阳" + "娜" * 18
    assert check_user_name(" Li Na ") == "Li Na"


def test_the_next_saved_value_is_audited_under_the_name(demo):
    set_current_user(demo, "王秀英")
    save_value(
        demo, element_code="BEDS_APPROVED", org_unit_code="370725-01", period="2025", raw="1300",
        user=current_user(demo),
    )  # fmt: skip
    row = demo.execute("SELECT changed_by FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert row[0] == "王秀英"
