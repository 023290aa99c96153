"""Identity codes printed on returns: 统一社会信用代码, 组织机构代码, 行政区划代码, 卫生机构分类代码, row codes.

Every validator normalises first (NFKC, spaces removed, upper case), because codes are copied from scanned
certificates, Excel cells and WeChat messages with full-width digits and stray spaces. Errors are CodeError
(a ValueError) with a short Chinese message that names the position and what is wrong, so the UI can show it
as is.

Standard library only (this is the ``core`` layer).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "ADMIN_LEVELS",
    "PROVINCE_CODES",
    "USCC_CATEGORIES",
    "USCC_CHARSET",
    "USCC_DEPARTMENTS",
    "CodeError",
    "FacilityClassCode",
    "RowCode",
    "UsccResult",
    "admin_code_level",
    "format_org_code",
    "is_valid_org_code",
    "is_valid_uscc",
    "normalize_org_code",
    "normalize_uscc",
    "org_code_check_char",
    "parent_admin_code",
    "parse_facility_class_code",
    "parse_row_code",
    "row_code_sort_key",
    "uscc_check_char",
    "validate_admin_code",
    "validate_org_code",
    "validate_uscc",
]


class CodeError(ValueError):
    """A code that fails validation; the message is Chinese and says where and why."""


def _clean(text: object, what: str) -> str:
    if not isinstance(text, str):
        raise CodeError(f"{what}应为文字，现在是“{text!r}”")
    # NFKC folds full-width Ｘ and ０–９; whitespace inside a code is always a copying artefact.
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


# ====================================================================================================
# 组织机构代码 (GB 11714-1997): 8 body characters + 1 check character
# ====================================================================================================

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_RE = re.compile(r"[0-9A-Z]")


def _org_value(char: str) -> int:
    # GB 11714 counts letters on from the digits: A=10 … Z=35 (unlike GB 32100's own 31-character table).
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def _org_check(body: str) -> str:
    remainder = 11 - sum(_org_value(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def org_code_check_char(first8: str) -> str:
    """The 9th (check) character of an organisation code from its first 8 characters."""
    body = _clean(first8, "组织机构代码")
    if len(body) != 8:
        raise CodeError(f"组织机构代码本体应为8位，现在是{len(body)}位")
    for pos, char in enumerate(body, 1):
        if not _ORG_BODY_RE.fullmatch(char):
            raise CodeError(f"组织机构代码第{pos}位“{char}”不是数字或大写字母")
    return _org_check(body)


def normalize_org_code(text: str) -> str:
    """Clean an organisation code without validating it: NFKC, no spaces, upper case, hyphen dropped."""
    code = _clean(text, "组织机构代码")
    # Certificates print it as XXXXXXXX-X; only that one hyphen is a separator, anything else is an error.
    if len(code) == 10 and code[8] == "-":
        code = code[:8] + code[9]
    return code


def validate_org_code(text: str) -> str:
    """Validate a 组织机构代码 (9 characters, or XXXXXXXX-X); return it as 9 characters without hyphen."""
    code = normalize_org_code(text)
    if not code:
        raise CodeError("组织机构代码为空")
    if len(code) != 9:
        raise CodeError(f"组织机构代码应为9位（可写作 XXXXXXXX-X），现在是{len(code)}位")
    expected = org_code_check_char(code[:8])
    if code[8] != expected:
        raise CodeError(f"组织机构代码校验位应为“{expected}”，实际是“{code[8]}”——可能输错了某一位")
    return code


def is_valid_org_code(text: object) -> bool:
    """True when ``text`` is a valid 组织机构代码 (never raises)."""
    try:
        validate_org_code(text)  # type: ignore[arg-type]
    except CodeError:
        return False
    return True


def format_org_code(code: str) -> str:
    """Print form XXXXXXXX-X of a valid organisation code."""
    code = validate_org_code(code)
    return f"{code[:8]}-{code[8]}"


# ====================================================================================================
# 统一社会信用代码 (GB 32100-2015): 18 characters
# ====================================================================================================

# Value of each character is its index; I, O, Z, S, V are left out because they look like 1, 0, 2, 5, U.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3**i mod 31
_USCC_BAD_HINT = "（不使用 I、O、Z、S、V）"

# GB 32100-2015 附录A, with the later additions A (军队) and N (农业). Informational only: a code outside the
# table gets a warning, not an error, because the check character is what proves it was typed right.
USCC_DEPARTMENTS: dict[str, str] = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商（市场监管）",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
USCC_CATEGORIES: dict[str, str] = {
    "11": "机关",
    "12": "事业单位",
    "13": "中央编办直接管理机构编制的群众团体",
    "19": "其他",
    "21": "外国常驻新闻机构",
    "29": "其他",
    "31": "律师执业机构",
    "32": "公证处",
    "33": "基层法律服务所",
    "34": "司法鉴定机构",
    "35": "仲裁委员会",
    "39": "其他",
    "41": "外国在华文化中心",
    "49": "其他",
    "51": "社会团体",
    "52": "民办非企业单位",
    "53": "基金会",
    "59": "其他",
    "61": "外国旅游部门常驻代表机构",
    "62": "港澳台地区旅游部门常驻内地（大陆）代表机构",
    "69": "其他",
    "71": "宗教活动场所",
    "72": "宗教院校",
    "79": "其他",
    "81": "基层工会",
    "89": "其他",
    "91": "企业",
    "92": "个体工商户",
    "93": "农民专业合作社",
    "A1": "军队事业单位",
    "A9": "其他",
    "N1": "组级集体经济组织",
    "N2": "村级集体经济组织",
    "N3": "乡镇级集体经济组织",
    "N9": "其他",
    "Y1": "其他",
}


@dataclass(frozen=True)
class UsccResult:
    """A validated 统一社会信用代码 and its parts."""

    code: str  # 18 characters, normalised
    department: str  # 第1位 登记管理部门码
    department_name: str | None
    category: str  # 第2位 机构类别码
    category_name: str | None
    region_code: str  # 第3–8位 登记管理机关行政区划码
    org_code: str  # 第9–17位 主体标识码（组织机构代码）
    check_char: str  # 第18位
    warnings: tuple[str, ...] = ()  # unusual but not wrong, e.g. a department code outside the table

    @property
    def org_code_formatted(self) -> str:
        """The embedded organisation code as printed on old certificates: XXXXXXXX-X."""
        return f"{self.org_code[:8]}-{self.org_code[8]}"


def normalize_uscc(text: str) -> str:
    """Clean a 统一社会信用代码 without validating it: NFKC, spaces removed, upper case."""
    return _clean(text, "统一社会信用代码")


def _check_uscc_chars(code: str, offset: int = 0) -> None:
    for pos, char in enumerate(code, 1 + offset):
        if char not in _USCC_VALUE:
            raise CodeError(f"第{pos}位“{char}”不是合法字符{_USCC_BAD_HINT}")


def _uscc_check(first17: str) -> str:
    remainder = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True)) % 31
    return USCC_CHARSET[(31 - remainder) % 31]


def uscc_check_char(first17: str) -> str:
    """The 18th (check) character of a 统一社会信用代码 from its first 17 characters."""
    body = normalize_uscc(first17)
    if len(body) != 17:
        raise CodeError(f"统一社会信用代码前17位应为17位，现在是{len(body)}位")
    _check_uscc_chars(body)
    return _uscc_check(body)


def validate_uscc(text: str, *, check_org_code: bool = True) -> UsccResult:
    """Validate a 统一社会信用代码 and split it into its parts; raise CodeError naming the problem.

    Checks, in order: length, character set, that 第3–8位 are digits, the 18th check character, and the
    embedded organisation code's own GB 11714 check character (real codes satisfy both). Pass
    ``check_org_code=False`` to skip the last check for a code known to be issued without one.
    """
    code = normalize_uscc(text)
    if not code:
        raise CodeError("统一社会信用代码为空")
    if len(code) != 18:
        raise CodeError(f"统一社会信用代码应为18位，现在是{len(code)}位")
    _check_uscc_chars(code)
    for pos in range(3, 9):
        if not code[pos - 1].isdigit():
            raise CodeError(f"第3–8位是行政区划码，应为数字，第{pos}位是“{code[pos - 1]}”")
    expected = _uscc_check(code[:17])
    if code[17] != expected:
        raise CodeError(f"校验位应为“{expected}”，实际是“{code[17]}”——可能输错了某一位")
    org = code[8:17]
    if check_org_code:
        org_expected = _org_check(org[:8])
        if org[8] != org_expected:
            raise CodeError(
                f"第9–17位组织机构代码“{org[:8]}-{org[8]}”的校验位应为“{org_expected}”，实际是“{org[8]}”"
                "——整个代码可能抄错了"
            )

    warnings: list[str] = []
    department_name = USCC_DEPARTMENTS.get(code[0])
    category_name = USCC_CATEGORIES.get(code[:2])
    if department_name is None:
        warnings.append(f"第1位登记管理部门码“{code[0]}”不在国标代码表中")
    elif category_name is None:
        warnings.append(f"第2位机构类别码“{code[1]}”不在“{department_name}”的代码表中")
    region = code[2:8]
    # 100000 marks registrations by national-level authorities; any other region must name a province.
    if region != "100000" and region[:2] not in PROVINCE_CODES:
        warnings.append(f"第3–8位行政区划码“{region}”的省级代码“{region[:2]}”不存在")
    return UsccResult(
        code=code,
        department=code[0],
        department_name=department_name,
        category=code[1],
        category_name=category_name,
        region_code=region,
        org_code=org,
        check_char=code[17],
        warnings=tuple(warnings),
    )


def is_valid_uscc(text: object, *, check_org_code: bool = True) -> bool:
    """True when ``text`` is a valid 统一社会信用代码 (never raises)."""
    try:
        validate_uscc(text, check_org_code=check_org_code)  # type: ignore[arg-type]
    except CodeError:
        return False
    return True


# ====================================================================================================
# 行政区划代码 (GB/T 2260; 9 and 12 digits per the NBS 统计用区划代码)
# ====================================================================================================

PROVINCE_CODES: dict[str, str] = {
    "11": "北京市", "12": "天津市", "13": "河北省", "14": "山西省", "15": "内蒙古自治区",
    "21": "辽宁省", "22": "吉林省", "23": "黑龙江省",
    "31": "上海市", "32": "江苏省", "33": "浙江省", "34": "安徽省", "35": "福建省", "36": "江西省", "37": "山东省",
    "41": "河南省", "42": "湖北省", "43": "湖南省", "44": "广东省", "45": "广西壮族自治区", "46": "海南省",
    "50": "重庆市", "51": "四川省", "52": "贵州省", "53": "云南省", "54": "西藏自治区",
    "61": "陕西省", "62": "甘肃省", "63": "青海省", "64": "宁夏回族自治区", "65": "新疆维吾尔自治区",
    "71": "台湾省", "81": "香港特别行政区", "82": "澳门特别行政区",
}  # fmt: skip

ADMIN_LEVELS: tuple[str, ...] = ("province", "city", "county", "township", "village")


def validate_admin_code(text: str) -> str:
    """Validate a 行政区划代码 of 6 (province/city/county), 9 (township) or 12 (village) digits.

    12-digit NBS codes padded with zeros (370725000000, 370725001000) are accepted too. Returns the cleaned
    code at the width it was given.
    """
    code = _clean(text, "行政区划代码")
    if not code:
        raise CodeError("行政区划代码为空")
    if len(code) not in (6, 9, 12):
        raise CodeError(f"行政区划代码应为6位（县级）、9位（乡镇）或12位（村），现在是{len(code)}位")
    for pos, char in enumerate(code, 1):
        if not char.isascii() or not char.isdigit():
            raise CodeError(f"行政区划代码第{pos}位“{char}”不是数字")
    if code[:2] not in PROVINCE_CODES:
        raise CodeError(f"行政区划代码前2位“{code[:2]}”不是省级代码")
    city, county = code[2:4], code[4:6]
    township, village = code[6:9], code[9:12]
    if city == "00" and (county != "00" or township.strip("0") or village.strip("0")):
        raise CodeError(f"行政区划代码“{code}”第3–4位为00（省级）时后面也应全为0")
    if len(code) == 9 and township == "000":
        raise CodeError(f"乡镇级代码“{code}”第7–9位不能为000")
    if len(code) == 12 and township == "000" and village != "000":
        raise CodeError(f"村级代码“{code}”第7–9位（乡镇）不能为000")
    return code


def _natural(code: str) -> str:
    # A padded 12-digit code and its short form name the same place; compare and derive on the short form.
    if len(code) == 12 and code[9:] == "000":
        code = code[:9]
    if len(code) == 9 and code[6:] == "000":
        code = code[:6]
    return code


def admin_code_level(code: str) -> str:
    """'province', 'city', 'county', 'township' or 'village' for a 行政区划代码."""
    natural = _natural(validate_admin_code(code))
    if len(natural) == 12:
        return "village"
    if len(natural) == 9:
        return "township"
    if natural[2:] == "0000":
        return "province"
    if natural[4:] == "00":
        return "city"
    return "county"


def parent_admin_code(code: str) -> str | None:
    """The code of the enclosing division in its short form (6 or 9 digits), or None for a province.

    370725001001 -> 370725001 -> 370725 -> 370700 -> 370000 -> None. Mechanical: for a county-level
    city under a province (429004) the parent is the 429000 grouping, as in the national code table.
    """
    natural = _natural(validate_admin_code(code))
    if len(natural) > 6:
        return natural[: len(natural) - 3]
    if natural[2:] == "0000":
        return None
    if natural[4:] == "00":
        return natural[:2] + "0000"
    return natural[:4] + "00"


# ====================================================================================================
# 卫生机构（组织）分类代码 (22 characters)
# ====================================================================================================


@dataclass(frozen=True)
class FacilityClassCode:
    """A 卫生机构（组织）分类代码 split into its five parts."""

    code: str  # 22 characters, normalised, no hyphen
    org_code: str  # 1–9 组织机构代码
    region_code: str  # 10–15 行政区划代码
    economic_type: str  # 16–17 经济类型代码
    category: str  # 18–21 卫生机构类别代码
    management: str  # 22 机构分类管理代码


_FACILITY_PARTS = (
    # (start, end, name, pattern, what the pattern means)
    (9, 15, "行政区划代码", re.compile(r"\d{6}"), "6位数字"),
    (15, 17, "经济类型代码", re.compile(r"\d{2}"), "2位数字"),
    (17, 21, "卫生机构类别代码", re.compile(r"[A-Z]\d{3}"), "1个字母加3位数字"),
    (21, 22, "机构分类管理代码", re.compile(r"\d"), "1位数字"),
)


def parse_facility_class_code(text: str, *, check_org_code: bool = True) -> FacilityClassCode:
    """Validate a 22-character 卫生机构（组织）分类代码 and return its parts.

    Structure: 9 组织机构代码 + 6 行政区划 + 2 经济类型 + 4 机构类别 + 1 分类管理. The organisation code
    may be written with its hyphen (XXXXXXXX-X…, 23 characters). Only structure and the organisation code's
    check character are validated here; whether 经济类型 or 机构类别 values exist is for the code tables
    in data files. ``check_org_code=False`` skips that check for placeholder codes.
    """
    code = _clean(text, "卫生机构分类代码")
    if len(code) == 23 and code[8] == "-":
        code = code[:8] + code[9:]
    if not code:
        raise CodeError("卫生机构分类代码为空")
    if len(code) != 22:
        raise CodeError(
            f"卫生机构分类代码应为22位（9位组织机构代码+6位区划+2位经济类型+4位机构类别+1位分类管理），"
            f"现在是{len(code)}位"
        )
    org = code[:9]
    for pos, char in enumerate(org, 1):
        if not _ORG_BODY_RE.fullmatch(char):
            raise CodeError(f"第1–9位是组织机构代码，第{pos}位“{char}”不是数字或大写字母")
    if check_org_code:
        expected = _org_check(org[:8])
        if org[8] != expected:
            raise CodeError(
                f"第1–9位组织机构代码的校验位应为“{expected}”，实际是“{org[8]}”——可能输错了某一位"
            )
    for start, end, name, pattern, shape in _FACILITY_PARTS:
        part = code[start:end]
        if not pattern.fullmatch(part):
            where = f"第{start + 1}位" if end - start == 1 else f"第{start + 1}–{end}位"
            raise CodeError(f"{where}是{name}，应为{shape}，现在是“{part}”")
    try:
        validate_admin_code(code[9:15])
    except CodeError as exc:
        raise CodeError(f"第10–15位：{exc}") from None
    return FacilityClassCode(
        code=code,
        org_code=org,
        region_code=code[9:15],
        economic_type=code[15:17],
        category=code[17:21],
        management=code[21],
    )


# ====================================================================================================
# Row codes of forms: 01, 01.1, A1, A1.2
# ====================================================================================================

_ROW_RE = re.compile(r"([A-Z]*)(\d+)((?:\.\d+)*)")


@dataclass(frozen=True)
class RowCode:
    """A row code split for sorting: optional letter prefix, then numbers separated by dots."""

    text: str  # as normalised (leading zeros kept: 01 stays 01, it is what the form prints)
    prefix: str
    numbers: tuple[int, ...]

    @property
    def depth(self) -> int:
        """0 for 01 or A1, 1 for 01.1, 2 for 01.1.3."""
        return len(self.numbers) - 1

    @property
    def parent(self) -> str | None:
        """The code one level up (01.1 -> 01), or None for a top-level row."""
        if self.depth == 0:
            return None
        return self.text.rsplit(".", 1)[0]

    @property
    def sort_key(self) -> tuple[str, tuple[int, ...], str]:
        """Numbers compare as numbers, and a parent sorts before its children."""
        return (self.prefix, self.numbers, self.text)


def parse_row_code(text: str) -> RowCode:
    """Parse a form row code (01, 01.1, A1, A1.2); raise CodeError for anything else."""
    code = _clean(text, "行代码")
    # Full-width 。and ． both fold or are common slips for the dot between levels.
    code = code.replace("。", ".")
    match = _ROW_RE.fullmatch(code)
    if match is None:
        shown = text.strip() if isinstance(text, str) else text
        raise CodeError(f"行代码“{shown}”格式不对：应写作 01、01.1、A1 或 A1.2")
    numbers = (int(match[2]), *(int(n) for n in match[3].split(".")[1:]))
    return RowCode(text=code, prefix=match[1], numbers=numbers)


def row_code_sort_key(text: str) -> tuple:
    """Sort key for row codes: 01 < 01.1 < 01.2 < 02 < 10 and A1 < A2 < A10; numeric codes before lettered.

    Never raises, so it can sort a whole column: text that is not a row code sorts after all row codes,
    alphabetically.
    """
    try:
        return (0, *parse_row_code(text).sort_key)
    except CodeError:
        return (1, str(text))
