"""Identity codes: 统一社会信用代码, 组织机构代码, 行政区划代码, 卫生机构分类代码, form row codes."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.codes import (
    PROVINCE_CODES,
    USCC_CHARSET,
    CodeError,
    admin_code_level,
    format_org_code,
    is_valid_org_code,
    is_valid_uscc,
    normalize_org_code,
    normalize_uscc,
    org_code_check_char,
    parent_admin_code,
    parse_facility_class_code,
    parse_row_code,
    row_code_sort_key,
    uscc_check_char,
    validate_admin_code,
    validate_org_code,
    validate_uscc,
)

# --- an independent reference implementation, written from the standards' formulas rather than the
# module's tables: weights as powers (3**i mod 31 for GB 32100) and letter values from their alphabets.

_ALPHABET_31 = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ref_uscc_check(first17: str) -> str:
    total = sum(_ALPHABET_31.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return _ALPHABET_31[-total % 31]


def ref_org_check(first8: str) -> str:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(c, 36) * w for c, w in zip(first8, weights, strict=True))
    c9 = 11 - total % 11
    return "X" if c9 == 10 else "0" if c9 == 11 else str(c9)


def make_uscc(prefix2: str, region: str, org_body: str) -> str:
    org = org_body + ref_org_check(org_body)
    first17 = prefix2 + region + org
    return first17 + ref_uscc_check(first17)


# Published codes that are widely quoted as examples. Each was checked by hand (18th character and the
# embedded organisation code) as well as by the reference implementation above.
PUBLISHED = ["91350100M000100Y43", "9144030071526726XG", "91110000600037341L", "91330100716105852F"]
# Synthetic codes in the shapes a county health bureau meets: a public hospital (事业单位), a private
# non-profit hospital (民办非企业), a clinic (个体工商户), a health society (社会团体).
SYNTHETIC = [
    make_uscc("12", "370725", "49301234"),
    make_uscc("52", "370725", "MA3C8K1P"),
    make_uscc("92", "370725", "MA3D0000"),
    make_uscc("51", "370700", "50123456"),
]
VALID = PUBLISHED + SYNTHETIC


def test_reference_implementation_agrees_on_the_hand_checked_example() -> None:
    # 91350100M000100Y43: weighted sum 1640, 1640 mod 31 = 28, 31 - 28 = 3; M000100Y -> 139 mod 11 = 7 -> 4.
    assert ref_uscc_check("91350100M000100Y4") == "3"
    assert ref_org_check("M000100Y") == "4"
    # 9144030071526726XG: weighted sum 1782, mod 31 = 15 -> 16 -> G; 71526726 -> 199 mod 11 = 1 -> X.
    assert ref_uscc_check("9144030071526726X") == "G"
    assert ref_org_check("71526726") == "X"


# --- 统一社会信用代码 -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID)
def test_valid_uscc(code: str) -> None:
    result = validate_uscc(code)
    assert result.code == code
    assert is_valid_uscc(code)
    assert uscc_check_char(code[:17]) == code[17] == ref_uscc_check(code[:17])
    assert result.org_code == code[8:17]
    assert result.region_code == code[2:8]


def test_uscc_parts_are_decoded() -> None:
    r = validate_uscc("91350100M000100Y43")
    assert (r.department, r.department_name) == ("9", "工商（市场监管）")
    assert (r.category, r.category_name) == ("1", "企业")
    assert r.region_code == "350100"
    assert r.org_code == "M000100Y4"
    assert r.org_code_formatted == "M000100Y-4"
    assert r.check_char == "3"
    assert r.warnings == ()

    hospital = validate_uscc(SYNTHETIC[0])
    assert (hospital.department_name, hospital.category_name) == ("机构编制", "事业单位")
    assert validate_uscc(SYNTHETIC[1]).category_name == "民办非企业单位"
    assert validate_uscc(SYNTHETIC[2]).category_name == "个体工商户"
    assert validate_uscc(SYNTHETIC[3]).department_name == "民政"


def test_uscc_unusual_parts_are_warnings_not_errors() -> None:
    unknown_dept = make_uscc("B1", "370725", "49301234")
    r = validate_uscc(unknown_dept)
    assert r.department_name is None
    assert any("登记管理部门码“B”" in w for w in r.warnings)

    unknown_category = make_uscc("94", "370725", "49301234")
    assert any("机构类别码“4”" in w for w in validate_uscc(unknown_category).warnings)

    bad_province = make_uscc("91", "990100", "49301234")
    assert any("省级代码“99”" in w for w in validate_uscc(bad_province).warnings)

    national = make_uscc("12", "100000", "40000119")
    assert validate_uscc(national).warnings == ()


@pytest.mark.parametrize(
    "raw",
    [
        "91350100m000100y43",
        " 91350100 M000100Y43 ",
        "9135 0100 M000 100Y 43",
        "９１３５０１００Ｍ０００１００Ｙ４３",  # full-width
        "91350100M000100Y43\n",
        "91350100\u3000M000100Y43",
    ],
)
def test_uscc_normalisation(raw: str) -> None:
    assert normalize_uscc(raw) == "91350100M000100Y43"
    assert validate_uscc(raw).code == "91350100M000100Y43"


@pytest.mark.parametrize("code", VALID)
def test_every_single_substitution_is_rejected(code: str) -> None:
    for pos in range(18):
        for char in USCC_CHARSET:
            if char == code[pos]:
                continue
            mutated = code[:pos] + char + code[pos + 1 :]
            assert not is_valid_uscc(mutated), mutated


@pytest.mark.parametrize("code", VALID)
def test_transpositions_in_the_first_17_are_all_rejected(code: str) -> None:
    # 31 is prime and the 17 weights are distinct powers of 3, so swapping any two different characters
    # among the first 17 always changes the weighted sum.
    for i in range(17):
        for j in range(i + 1, 17):
            if code[i] == code[j]:
                continue
            chars = list(code)
            chars[i], chars[j] = chars[j], chars[i]
            assert not is_valid_uscc("".join(chars))


def test_adjacent_transpositions_are_mostly_rejected() -> None:
    rng = random.Random(20240301)
    tried = rejected = 0
    for _ in range(300):
        body = "".join(rng.choice("0123456789ABCDEFGH") for _ in range(8))
        code = make_uscc(rng.choice(["11", "12", "52", "91", "92"]), "370725", body)
        for i in range(17):
            if code[i] == code[i + 1]:
                continue
            tried += 1
            rejected += not is_valid_uscc(code[:i] + code[i + 1] + code[i] + code[i + 2 :])
    # Only swaps involving the check character itself can slip through, and then rarely.
    assert rejected / tried > 0.99


@given(
    st.sampled_from(["11", "12", "51", "52", "91", "92", "93", "Y1"]),
    st.text("0123456789", min_size=6, max_size=6),
    st.text("0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=8, max_size=8),
)
def test_generated_codes_validate(prefix: str, region: str, body: str) -> None:
    code = make_uscc(prefix, region, body)
    assert validate_uscc(code).code == code
    assert uscc_check_char(code[:17].lower()) == code[17]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "统一社会信用代码为空"),
        ("91350100M000100Y4", "统一社会信用代码应为18位，现在是17位"),
        ("91350100M000100Y433", "统一社会信用代码应为18位，现在是19位"),
        ("9135I100M000100Y43", "第5位“I”不是合法字符（不使用 I、O、Z、S、V）"),
        ("91350100M000100O43", "第16位“O”不是合法字符（不使用 I、O、Z、S、V）"),
        ("91350100M000100Y4Z", "第18位“Z”不是合法字符"),
        ("S1350100M000100Y43", "第1位“S”不是合法字符"),
        ("91350100M00V100Y43", "第12位“V”不是合法字符"),
        ("91350100M000-00Y43", "第13位“-”不是合法字符"),
        ("9135010０M000100Y4中", "第18位“中”不是合法字符"),
        ("9135A100M000100Y43", "第3–8位是行政区划码，应为数字，第5位是“A”"),
        ("91350100M000100Y4X", "校验位应为“3”，实际是“X”——可能输错了某一位"),
        ("91350100M000100Y53", "校验位应为“6”，实际是“3”——可能输错了某一位"),
    ],
)
def test_uscc_errors(text: str, message: str) -> None:
    with pytest.raises(CodeError, match=re.escape(message)):
        validate_uscc(text)
    assert not is_valid_uscc(text)


def test_bad_embedded_org_code_is_a_distinct_error() -> None:
    # Right 18th character, wrong 9th character of the embedded organisation code.
    first17 = "12370725" + "49301234" + ("0" if ref_org_check("49301234") != "0" else "1")
    code = first17 + ref_uscc_check(first17)
    with pytest.raises(CodeError, match=r"第9–17位组织机构代码“49301234-.”的校验位应为") as info:
        validate_uscc(code)
    assert "18位" not in str(info.value)
    assert not is_valid_uscc(code)
    assert validate_uscc(code, check_org_code=False).code == code
    assert is_valid_uscc(code, check_org_code=False)


def test_code_error_is_value_error_and_non_text_is_refused() -> None:
    assert issubclass(CodeError, ValueError)
    with pytest.raises(CodeError, match="应为文字"):
        validate_uscc(913501001)  # type: ignore[arg-type]
    assert not is_valid_uscc(None)


def test_uscc_check_char_needs_17_legal_characters() -> None:
    with pytest.raises(CodeError, match="现在是16位"):
        uscc_check_char("91350100M000100Y")
    with pytest.raises(CodeError, match="第2位“I”"):
        uscc_check_char("9I350100M000100Y4")


# --- 组织机构代码 --------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["M000100Y4", "71526726X", "600037341", "716105852"])
def test_org_code_valid(code: str) -> None:
    assert validate_org_code(code) == code
    assert validate_org_code(f"{code[:8]}-{code[8]}") == code
    assert format_org_code(code) == f"{code[:8]}-{code[8]}"
    assert org_code_check_char(code[:8]) == code[8]
    assert is_valid_org_code(code.lower())


def test_org_code_check_10_and_11() -> None:
    assert org_code_check_char("71526726") == "X"  # 11 - 1 = 10
    bodies = ["".join(random.Random(seed).choice("0123456789") for _ in range(8)) for seed in range(400)]
    zero = next(b for b in bodies if ref_org_check(b) == "0")  # 11 - 0 = 11 -> "0"
    assert org_code_check_char(zero) == "0"


@given(st.text("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=8, max_size=8))
def test_org_code_check_matches_reference(body: str) -> None:
    assert org_code_check_char(body) == ref_org_check(body)
    assert is_valid_org_code(body + ref_org_check(body))


def test_normalize_org_code() -> None:
    assert normalize_org_code(" ７１５２６７２６－ｘ ") == "71526726X"
    assert normalize_org_code("7152-6726X") == "7152-6726X"  # a hyphen elsewhere is left for the validator


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "组织机构代码为空"),
        ("7152672", "组织机构代码应为9位（可写作 XXXXXXXX-X），现在是7位"),
        ("7152-6726X", "组织机构代码应为9位（可写作 XXXXXXXX-X），现在是10位"),
        ("7152-672X", "组织机构代码第5位“-”不是数字或大写字母"),
        ("71526726-1", "组织机构代码校验位应为“X”，实际是“1”——可能输错了某一位"),
        ("71526725X", "组织机构代码校验位应为"),
    ],
)
def test_org_code_errors(text: str, message: str) -> None:
    with pytest.raises(CodeError, match=re.escape(message)):
        validate_org_code(text)
    assert not is_valid_org_code(text)


# --- 行政区划代码 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "level", "parent"),
    [
        ("370000", "province", None),
        ("370700", "city", "370000"),
        ("370725", "county", "370700"),
        ("370725001", "township", "370725"),
        ("370725001001", "village", "370725001"),
        ("370725001000", "township", "370725"),  # NBS 12-digit padded forms
        ("370725000000", "county", "370700"),
        ("370000000000", "province", None),
        ("110101", "county", "110100"),
        ("441900003", "township", "441900"),  # 东莞: towns directly under a city
        ("810000", "province", None),
        ("710000", "province", None),
    ],
)
def test_admin_code_levels_and_parents(code: str, level: str, parent: str | None) -> None:
    assert validate_admin_code(code) == code
    assert admin_code_level(code) == level
    assert parent_admin_code(code) == parent


def test_parent_chain_ends_at_the_province() -> None:
    chain = []
    code: str | None = "370725001001"
    while code is not None:
        chain.append(code)
        code = parent_admin_code(code)
    assert chain == ["370725001001", "370725001", "370725", "370700", "370000"]


def test_province_list() -> None:
    assert len(PROVINCE_CODES) == 34
    assert PROVINCE_CODES["37"] == "山东省"
    for prefix in ("11", "65", "71", "81", "82"):
        assert prefix in PROVINCE_CODES
    for prefix in ("10", "16", "20", "66", "70", "83", "99"):
        assert prefix not in PROVINCE_CODES


def test_admin_code_normalisation() -> None:
    assert validate_admin_code(" ３７０７２５ ") == "370725"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "行政区划代码为空"),
        ("37072", "行政区划代码应为6位（县级）、9位（乡镇）或12位（村），现在是5位"),
        ("3707250010", "现在是10位"),
        ("37072A", "行政区划代码第6位“A”不是数字"),
        ("990725", "行政区划代码前2位“99”不是省级代码"),
        ("100000", "前2位“10”不是省级代码"),
        ("370025", "第3–4位为00（省级）时后面也应全为0"),
        ("370000001", "第3–4位为00（省级）时后面也应全为0"),
        ("370725000", "乡镇级代码“370725000”第7–9位不能为000"),
        ("370725000001", "村级代码“370725000001”第7–9位（乡镇）不能为000"),
    ],
)
def test_admin_code_errors(text: str, message: str) -> None:
    with pytest.raises(CodeError, match=re.escape(message)):
        validate_admin_code(text)


# --- 卫生机构（组织）分类代码 ----------------------------------------------------------------------------

ORG = "49301234" + ref_org_check("49301234")
FACILITY = ORG + "370725" + "11" + "A100" + "1"


def test_facility_class_code_parts() -> None:
    parsed = parse_facility_class_code(FACILITY)
    assert parsed.code == FACILITY
    assert parsed.org_code == ORG
    assert parsed.region_code == "370725"
    assert parsed.economic_type == "11"
    assert parsed.category == "A100"
    assert parsed.management == "1"


@pytest.mark.parametrize(
    "raw",
    [
        FACILITY.lower(),
        f"{ORG[:8]}-{ORG[8]}370725 11 A100 1",
        f" {FACILITY} ",
    ],
)
def test_facility_class_code_normalisation(raw: str) -> None:
    assert parse_facility_class_code(raw).code == FACILITY


def _with(pos: int, part: str) -> str:
    return FACILITY[:pos] + part + FACILITY[pos + len(part) :]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "卫生机构分类代码为空"),
        (FACILITY[:-1], "卫生机构分类代码应为22位"),
        (FACILITY + "1", "现在是23位"),
        (_with(3, "-"), "第1–9位是组织机构代码，第4位“-”不是数字或大写字母"),
        (_with(8, "X" if ORG[8] != "X" else "0"), "第1–9位组织机构代码的校验位应为"),
        (_with(9, "37072A"), "第10–15位是行政区划代码，应为6位数字，现在是“37072A”"),
        (_with(9, "990725"), "第10–15位：行政区划代码前2位“99”不是省级代码"),
        (_with(15, "1A"), "第16–17位是经济类型代码，应为2位数字，现在是“1A”"),
        (_with(17, "1000"), "第18–21位是卫生机构类别代码，应为1个字母加3位数字，现在是“1000”"),
        (_with(21, "A"), "第22位是机构分类管理代码，应为1位数字，现在是“A”"),
    ],
)
def test_facility_class_code_errors(text: str, message: str) -> None:
    with pytest.raises(CodeError, match=re.escape(message)):
        parse_facility_class_code(text)


def test_facility_class_code_can_skip_org_check() -> None:
    bad = _with(8, "X" if ORG[8] != "X" else "0")
    assert parse_facility_class_code(bad, check_org_code=False).org_code == bad[:9]


# --- row codes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefix", "numbers", "depth", "parent"),
    [
        ("01", "", (1,), 0, None),
        ("01.1", "", (1, 1), 1, "01"),
        ("01.1.3", "", (1, 1, 3), 2, "01.1"),
        ("10", "", (10,), 0, None),
        ("A1", "A", (1,), 0, None),
        ("A1.2", "A", (1, 2), 1, "A1"),
        ("a10", "A", (10,), 0, None),
        ("０１．２", "", (1, 2), 1, "01"),
        ("01。2", "", (1, 2), 1, "01"),
    ],
)
def test_parse_row_code(
    text: str, prefix: str, numbers: tuple[int, ...], depth: int, parent: str | None
) -> None:
    row = parse_row_code(text)
    assert row.prefix == prefix
    assert row.numbers == numbers
    assert row.depth == depth
    assert row.parent == parent


@pytest.mark.parametrize("text", ["", "01.", ".1", "01..2", "1A", "A", "01-1", "一"])
def test_parse_row_code_errors(text: str) -> None:
    with pytest.raises(CodeError, match=re.escape("格式不对：应写作 01、01.1、A1 或 A1.2")):
        parse_row_code(text)


def test_row_code_sort_order() -> None:
    expected = ["01", "01.1", "01.2", "01.10", "02", "10", "A1", "A1.2", "A2", "A10", "B1"]
    shuffled = expected[:]
    random.Random(7).shuffle(shuffled)
    assert sorted(shuffled, key=row_code_sort_key) == expected


def test_row_code_sort_key_never_raises() -> None:
    codes = ["02", "合计", "01", "", "A1"]
    assert sorted(codes, key=row_code_sort_key) == ["01", "02", "A1", "", "合计"]
    # 1 and 01 are the same row number; the text keeps the order total and stable.
    assert row_code_sort_key("1") != row_code_sort_key("01")
    assert row_code_sort_key("01") < row_code_sort_key("1") < row_code_sort_key("01.1")
