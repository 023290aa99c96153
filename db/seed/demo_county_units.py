"""The demo county's org tree (昌乐县), written to db/seed/demo/county.json by build_plan_library.py.

Township names and the county-level facilities are real places; the 9/12-digit codes follow the NBS
统计用区划代码 pattern (街道 001–099, 镇 100–199; 社区 0xx, 村 2xx) without claiming to be the official ones, and
the village names are plausible inventions. Every 统一社会信用代码 is FICTIONAL: a random GB 11714 organisation
code with its check character, inside a GB 32100 code with its check character, so it validates but belongs to
no real body. The check-character computations are done here, independently of desktop.core.codes, so the
tests that validate these codes with desktop.core.codes cross-check both implementations.
"""

from __future__ import annotations

import random

COUNTY = {"code": "370725", "name": "昌乐县", "short_name": "昌乐", "city": "潍坊市", "province": "山东省"}

# (admin code, name, unit type, health centre name, health centre type, [(village/community, kind)])
# 宝城街道 is the urban core, so it has a 社区卫生服务中心 with 社区卫生服务站; the other streets were towns
# until recently and keep their 卫生院, as is usual.
TOWNSHIPS = (
    ("370725001", "宝城街道", "street", "昌乐县宝城街道社区卫生服务中心", "community_hc",
     ("北关社区", "西关社区", "孤山社区")),
    ("370725002", "朱刘街道", "street", "昌乐县朱刘街道卫生院", "township_hc",
     ("前于留村", "东南庄村", "后店村", "西朱刘村")),
    ("370725003", "五图街道", "street", "昌乐县五图街道卫生院", "township_hc",
     ("前郑家庄村", "大丹河村", "东沙埠村")),
    ("370725004", "宝都街道", "street", "昌乐县宝都街道卫生院", "township_hc",
     ("西南营村", "前寨子村", "后庄村", "东王家村")),
    ("370725101", "乔官镇", "town", "昌乐县乔官中心卫生院", "township_hc",
     ("前宅科村", "后宅科村", "东乔官村", "西刘家庄村", "南贾家庄村")),
    ("370725102", "营丘镇", "town", "昌乐县营丘镇卫生院", "township_hc",
     ("东营丘村", "西营丘村", "前郭家庄村", "后张家庄村")),
    ("370725103", "红河镇", "town", "昌乐县红河镇卫生院", "township_hc",
     ("东红河村", "西红河村", "前李家庄村")),
    ("370725104", "鄌郚镇", "town", "昌乐县鄌郚中心卫生院", "township_hc",
     ("东鄌郚村", "西鄌郚村", "前于家庄村", "后王家庄村", "北赵家庄村")),
)  # fmt: skip

# (code suffix, name, short name, unit type, USCC department+category)
# 12 = 机构编制 / 事业单位 (public hospitals, CDC, 妇幼); 11 = 机构编制 / 机关 (the bureau itself).
# 06 and 07 are named in seed 001 (line 413); they hold the beds a county keeps outside its public hospitals.
COUNTY_FACILITIES = (
    ("01", "昌乐县人民医院", "县人民医院", "county_hospital", "12"),
    ("02", "昌乐县中医院", "县中医院", "tcm_hospital", "12"),
    ("03", "昌乐县妇幼保健院", "县妇幼保健院", "mch_centre", "12"),
    ("04", "昌乐县疾病预防控制中心", "县疾控中心", "cdc", "12"),
    ("05", "昌乐县卫生健康局", "县卫健局", "health_bureau", "11"),
    ("06", "昌乐县康复医院", "县康复医院", "specialist_hospital", "12"),
    ("07", "昌乐齐城中医院", "齐城中医院", "private_hospital", "52"),  # 民营, registered as 民办非企业单位
)

FICTIONAL_NOTE = (
    "示例数据：统一社会信用代码为虚构的示例代码（校验位按GB 32100、GB 11714计算），不属于任何真实单位。"
)

# GB 32100-2015: 31 characters (no I, O, S, V, Z); weight of position i is 3^i mod 31.
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714-1997


def org_check_char(body8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body (digits only here)."""
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character of the first 17 characters."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def make_uscc(prefix: str, region: str, rng: random.Random, used: set[str]) -> str:
    """A fictional but valid code: prefix (dept+category) + region + org code (8+check) + USCC check."""
    while True:
        body = str(rng.randrange(49_000_000, 49_999_999))  # 事业单位 organisation codes commonly start 49…
        if body not in used:
            used.add(body)
            break
    first17 = prefix + region + body + org_check_char(body)
    return first17 + uscc_check_char(first17)


def build_county() -> dict:
    """The org tree as a flat list, parents before children, each unit naming its parent and filer by code."""
    rng = random.Random(370725)
    used: set[str] = set()
    region = COUNTY["code"]
    units: list[dict] = [
        {
            "code": region,
            "name": COUNTY["name"],
            "short_name": COUNTY["short_name"],
            "level": 1,
            "unit_type": "county",
            "parent": None,
            "admin_code": region,
            "uscc": None,
            "filed_by": None,
        }
    ]
    for suffix, name, short, unit_type, prefix in COUNTY_FACILITIES:
        units.append(
            {
                "code": f"{region}-{suffix}",
                "name": name,
                "short_name": short,
                "level": 3,
                "unit_type": unit_type,
                "parent": region,
                "admin_code": region,
                "uscc": make_uscc(prefix, region, rng, used),
                "filed_by": None,
            }
        )
    for admin, name, unit_type, centre, centre_type, places in TOWNSHIPS:
        units.append(
            {
                "code": admin,
                "name": name,
                "short_name": name.removesuffix("街道").removesuffix("镇"),
                "level": 2,
                "unit_type": unit_type,
                "parent": region,
                "admin_code": admin,
                "uscc": None,
                "filed_by": None,
            }
        )
        centre_code = f"{admin}-01"
        short_centre = centre.removeprefix("昌乐县")
        units.append(
            {
                "code": centre_code,
                "name": centre,
                "short_name": short_centre,
                "level": 3,
                "unit_type": centre_type,
                "parent": admin,
                "admin_code": admin,
                "uscc": make_uscc("12", region, rng, used),
                "filed_by": None,
            }
        )
        community = centre_type == "community_hc"
        for i, place in enumerate(places, start=1):
            # 社区 (居委会) codes are 0xx, 村 (村委会) codes 2xx in the 12-digit NBS scheme.
            village_code = f"{admin}{'0' if community else '2'}{i:02d}"
            suffix = "卫生服务站" if community else "卫生室"
            units.append(
                {
                    "code": f"{admin}-{i + 1:02d}",
                    "name": f"{name}{place}{suffix}",
                    "short_name": f"{place}{suffix}",
                    "level": 4,
                    "unit_type": "community_station" if community else "village_clinic",
                    "parent": admin,
                    "admin_code": village_code,
                    # 村卫生室 registered as 民办非企业单位 (民政 5 / 2) is the common case for a legal-entity clinic.
                    "uscc": make_uscc("52", region, rng, used),
                    "filed_by": centre_code,  # 乡镇卫生院代报
                }
            )
    for order, unit in enumerate(units):
        unit["sort_order"] = order
        unit["uscc_fictional"] = unit["uscc"] is not None
    return {"format": 1, "county": COUNTY, "note": FICTIONAL_NOTE, "units": units}
