"""Regenerate the bundled plan library and demo county tree from the shared seed extractions.

Run from anywhere:  /work/venv/bin/python db/seed/build_plan_library.py [--seeds DIR] [--out DIR]

Writes (deterministic: sorted keys, ensure_ascii=False, indent=1, trailing newline, so a re-run gives no diff):
  plans/<plan_code>.json   one per seed plan: metadata, every indicator-table row with its raw texts, projects
  indicators.json          the indicator master list (code, name, aliases, unit, direction, formula)
  demo/county.json         the demo county's org tree (written by demo_county_units.py, imported below)

The raw baseline and target texts are copied exactly as the seeds hold them (full-width digits, `－－－`, `-`);
the seeds' own "kind" fields are never copied: the program parses raw texts with desktop.core.targets.
The curation below (which plan row is which indicator, its direction and how the demo county computes it) is
the human judgement in this file; everything else is mechanical.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any, NamedTuple

HERE = Path(__file__).resolve().parent
DEFAULT_SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FORMAT = 1

# The three seed plans: file stem -> how the library names the plan.
SEED_FILES = {
    "liaocheng-2030": "000_567abfa0dda225a2.json",
    "changle-14th-fyp": "001_473245586667a28f.json",
    "liaocheng-healthy-action": "004_c95cd58d6fdbfc49.json",
}


class Curated(NamedTuple):
    code: str
    name: str
    unit: str | None
    direction: str  # up / down / neutral
    decimals: int
    numerator: str | None  # formula over data-element codes; a single IND_* code = entered directly
    denominator: str | None
    factor: float
    # Names the plans use (matched after normalising); extra prose variants are kept as aliases too.
    names: tuple[str, ...]


# fmt: off
CURATION: tuple[Curated, ...] = (
    Curated("LIFE_EXPECTANCY", "人均预期寿命", "岁", "up", 2, "IND_LIFE_EXPECTANCY", None, 1, ("人均预期寿命", "人均期望寿命")),
    Curated("HEALTHY_LIFE_EXPECTANCY", "健康预期寿命", "岁", "up", 2, "IND_HEALTHY_LIFE_EXPECTANCY", None, 1, ("健康预期寿命",)),
    Curated("IMR", "婴儿死亡率", "‰", "down", 2, "INFANT_DEATHS", "LIVE_BIRTHS", 1000, ("婴儿死亡率",)),
    Curated("U5MR", "5岁以下儿童死亡率", "‰", "down", 2, "U5_DEATHS", "LIVE_BIRTHS", 1000, ("5岁以下儿童死亡率",)),
    Curated("MMR", "孕产妇死亡率", "1/10万", "down", 2, "MATERNAL_DEATHS", "LIVE_BIRTHS", 100000, ("孕产妇死亡率",)),
    Curated("PREMATURE_NCD_MORTALITY", "重大慢性病过早死亡率", "%", "down", 2, "IND_PREMATURE_NCD_MORTALITY", None, 1,
            ("重大慢性病过早死亡率", "重大慢病过早死亡率", "因心脑血管疾病、癌症、慢性呼吸系统疾病和糖尿病导致的过早死亡",
             "因心脑血管疾病、癌症、慢性呼吸系统疾病和糖尿病导致的过早死亡率")),
    Curated("HEALTH_LITERACY", "居民健康素养水平", "%", "up", 2, "IND_HEALTH_LITERACY", None, 1, ("居民健康素养水平",)),
    Curated("FITNESS_STANDARD_RATE", "城乡居民达到《国民体质测定标准》合格以上的人数比例", "%", "up", 2, None, None, 1,
            ("城乡居民达到《体质标准》合格以上的人员比例", "城乡居民达到《国民体质测定标准》合格以上的人数比例")),
    Curated("REGULAR_EXERCISE_RATE", "经常参加体育锻炼人数比例", "%", "up", 2, None, None, 1,
            ("经常参加体育锻炼的人数比例", "经常参加体育锻炼人数比例")),
    Curated("SPORTS_AREA_PER_CAPITA", "人均体育场面积", "平方米", "up", 2, None, None, 1, ("人均体育场面积", "人均体育场地面积")),
    Curated("STUDENT_FITNESS_EXCELLENT_RATE", "青少年学生体质健康标准达标优秀率", "%", "up", 2, None, None, 1,
            ("青少年学生体质健康标准达标优秀率",)),
    Curated("STUDENT_FITNESS_GOOD_RATE", "学生体质健康标准达标优良率", "%", "up", 2, None, None, 1, ("学生体质健康标准达标优良率",)),
    Curated("DOCTORS_PER_1000", "每千人口执业（助理）医师数", "人", "up", 2, "DOC_PRACT + DOC_ASSIST", "POP_RESIDENT", 1000,
            ("每千人口执业（助理）医师数", "每千常住人口执业（助理）医师数")),
    Curated("NURSES_PER_1000", "每千人口注册护士数", "人", "up", 2, "NURSES", "POP_RESIDENT", 1000,
            ("每千人口注册护士数", "每千人常住人口注册护士数", "每千常住人口注册护士数")),
    Curated("GP_PER_10000", "每万人口全科医生数", "人", "up", 2, "GPS", "POP_RESIDENT", 10000,
            ("每万人口全科医生数", "每万人口全科医师数", "基层医疗卫生机构每万人口全科医师")),
    Curated("TCM_DOCTORS_PER_1000", "每千人口中医类别执业（助理）医师数", "人", "up", 2, "DOC_TCM", "POP_RESIDENT", 1000,
            ("每千人口中医执业类别执业（助理）医师数", "每千人口中医类别执业（助理）医师数")),
    Curated("PHARMACISTS_PER_1000", "每千人口药师（士）数", "人", "up", 2, "PHARMACISTS", "POP_RESIDENT", 1000, ("每千人口药师（士）数",)),
    Curated("PUBLIC_HEALTH_STAFF_PER_1000", "每千人口公共卫生人员数", "人", "up", 2, "PH_STAFF", "POP_RESIDENT", 1000,
            ("每千人口公共卫生人员数",)),
    Curated("BEDS_PER_1000", "每千人口医疗卫生机构床位数", "张", "up", 2, "BEDS_ACTUAL", "POP_RESIDENT", 1000,
            ("每千人口医疗卫生机构床位数",)),
    Curated("CHILDCARE_PLACES_PER_1000", "每千人口3岁以下婴幼儿托位数", "个", "up", 2, "CHILDCARE_PLACES", "POP_RESIDENT", 1000,
            ("每千人口3岁以下婴幼儿托位数",)),
    Curated("OOP_SHARE", "个人卫生支出占卫生总费用的比重", "%", "down", 2, None, None, 1, ("个人卫生支出占卫生总费用的比重",)),
    Curated("ELDERLY_HEALTH_MGMT_RATE", "65岁及以上老年人健康管理率", "%", "up", 2, "ELDERLY_MANAGED", "POP_65", 100,
            ("65岁及以上老人健康管理率", "65岁及以上老年人健康管理率")),
    Curated("AIR_QUALITY_GOOD_DAYS", "城市空气质量优良天数比率", "%", "up", 2, None, None, 1, ("城市空气质量优良天数比率",)),
    Curated("WATER_QUALITY_III_SHARE", "重点流域水质达到或好于Ⅲ类水体比例", "%", "up", 2, None, None, 1,
            ("重点流域水质达到或好于Ⅲ类水体比例",)),
    Curated("DRUG_SAMPLING_PASS_RATE", "药品抽检合格率", "%", "up", 2, None, None, 1, ("药品抽检合格率",)),
    Curated("FOOD_SAMPLING_PASS_RATE", "重点食品抽检合格率", "%", "up", 2, None, None, 1, ("重点食品抽检合格率",)),
    Curated("AGRI_PRODUCT_PASS_RATE", "主要农产品监测合格率", "%", "up", 2, None, None, 1, ("主要农产品监测合格率",)),
    Curated("TB_INCIDENCE", "肺结核发病率", "1/10万", "down", 2, "TB_CASES", "POP_RESIDENT", 100000, ("肺结核发病率",)),
    Curated("IMMUNIZATION_FULL_RATE", "儿童国家免疫规划疫苗全程接种率", "%", "up", 2, "VACC_FULL_DONE", "VACC_FULL_DUE", 100,
            ("儿童国家免疫规划疫苗全程接种率",)),
    Curated("VACCINATION_RATE", "适龄儿童国家免疫规划疫苗接种率", "%", "up", 2, "VACC_DONE", "VACC_DUE", 100,
            ("以乡(镇、街道)为单位适龄儿童国家免疫规划疫苗接种率", "适龄儿童国家免疫规划疫苗接种率")),
    Curated("HTN_STD_MGMT_RATE", "高血压患者规范管理率", "%", "up", 2, "HTN_STD_MANAGED", "HTN_MANAGED", 100, ("高血压患者规范管理率",)),
    Curated("DM_STD_MGMT_RATE", "糖尿病患者规范管理率", "%", "up", 2, "DM_STD_MANAGED", "DM_MANAGED", 100, ("糖尿病患者规范管理率",)),
    Curated("HTN_MGMT_RATE", "高血压患者健康管理率", "%", "up", 2, "HTN_MANAGED", "HTN_PATIENTS", 100, ("高血压患者健康管理率",)),
    Curated("DM_MGMT_RATE", "糖尿病患者健康管理率", "%", "up", 2, "DM_MANAGED", "DM_PATIENTS", 100, ("糖尿病患者健康管理率",)),
    Curated("CERVICAL_SCREENING_TASK_RATE", "宫颈癌筛查任务完成率", "%", "up", 2, "CERVICAL_SCREENED", "CERVICAL_QUOTA", 100,
            ("宫颈癌筛查任务完成率",)),
    Curated("BREAST_SCREENING_TASK_RATE", "乳腺癌筛查任务完成率", "%", "up", 2, "BREAST_SCREENED", "BREAST_QUOTA", 100,
            ("乳腺癌筛查任务完成率",)),
    Curated("NCD_KNOWLEDGE_AWARENESS", "重点慢性病防治核心信息人群知晓率", "%", "up", 2, "IND_NCD_AWARENESS", None, 1,
            ("重点慢性病防治核心信息人群知晓率",)),
    Curated("EHR_DYNAMIC_USE_RATE", "居民电子健康档案动态使用率", "%", "up", 2, "IND_EHR_USE_RATE", None, 1,
            ("居民电子档案动态使用率", "居民电子健康档案动态使用率")),
    Curated("SMOKING_RATE_15PLUS", "15岁以上人群吸烟率", "%", "down", 2, "IND_SMOKING_RATE", None, 1, ("15岁以上人群吸烟率",)),
    Curated("NATIONAL_HYGIENIC_TOWN_SHARE", "国家卫生乡镇（含进入评审程序）数量占比", "%", "up", 2, "IND_HYGIENIC_TOWN_SHARE", None, 1,
            ("国家卫生乡镇（含进入评审程序）数量占比", "国家卫生乡镇比例")),
    Curated("MYOPIA_RATE", "儿童青少年总体近视率", "%", "down", 2, "IND_MYOPIA_RATE", None, 1,
            ("青少年总体近视率", "全市儿童青少年总体近视率", "儿童青少年总体近视率")),
    Curated("GERIATRIC_DEPT_SHARE", "二级及以上综合性医院设置老年医学科的比例", "%", "up", 2, "HOSP_L2_GERI", "HOSP_L2_GENERAL", 100,
            ("二级及以上综合性医院设置老年医学科的比例", "二级及以上综合性医院设置老年医学科比例")),
    Curated("TCM_DEPT_SHARE", "政府办综合医院、妇幼保健院、传染病院中医药科室设置比例", "%", "up", 2, "IND_TCM_DEPT_SHARE", None, 1,
            ("政府办综合医院、妇幼保健院、传染病院中医药科室设置比例",)),
    Curated("TERTIARY_HOSPITAL_ALOS", "三级医院平均住院日", "天", "down", 1, "IND_TERTIARY_ALOS", None, 1, ("三级医院平均住院日",)),
    Curated("BED_OCCUPANCY_RATE", "床位使用率", "%", "up", 2, "IND_BED_OCCUPANCY", None, 1, ("床位使用率",)),
    Curated("NOSOCOMIAL_INFECTION_RATE", "院内感染发生率", "%", "down", 2, "IND_NOSOCOMIAL_RATE", None, 1, ("院内感染发生率",)),
    Curated("NATURAL_INCREASE_RATE", "人口自然增长率", "‰", "neutral", 2, "IND_NATURAL_INCREASE", None, 1, ("人口自然增长率",)),
    Curated("SEX_RATIO_AT_BIRTH", "出生人口性别比", None, "neutral", 2, "LIVE_BIRTHS_MALE", "LIVE_BIRTHS - LIVE_BIRTHS_MALE", 100,
            ("出生人口性别比",)),
    Curated("HEALTH_INDUSTRY_VALUE_ADDED", "医养健康产业增加值", "亿元", "up", 2, "IND_HEALTH_INDUSTRY_VA", None, 1, ("医养健康产业增加值",)),
    Curated("HEALTH_COMMS_MECHANISM", "健康科普专家库和资源库及科普知识发布和传播机制建立情况", None, "up", 0, None, None, 1,
            ("建立并完善健康科普专家库和资源库,构建健康科普知识发布和传播机制",)),
    Curated("HEALTH_EDU_APPRAISAL_MECHANISM", "医疗机构和医务人员开展健康教育和健康促进的绩效考核机制建立情况", None, "up", 0, None, None, 1,
            ("建立医疗机构和医务人员开展健康教育和健康促进的绩效考核机制",)),
    Curated("SMOKE_FREE_POPULATION_SHARE", "全面无烟法规保护的人口比例", "%", "up", 2, None, None, 1, ("全面无烟法规保护的人口比例",)),
    Curated("PRENATAL_SCREENING_RATE", "产前筛查率", "%", "up", 2, None, None, 1, ("产前筛查率",)),
    Curated("TWO_CANCER_SCREENING_COVERAGE", "农村适龄妇女宫颈癌和乳腺癌筛查覆盖率", "%", "up", 2, None, None, 1,
            ("农村适龄妇女宫颈癌和乳腺癌筛查覆盖率",)),
    Curated("NEWBORN_SCREENING_RATE", "新生儿遗传代谢性疾病筛查率", "%", "up", 2, "NEWBORN_SCREENED", "LIVE_BIRTHS", 100,
            ("新生儿遗传代谢性疾病筛查率", "新生儿遗传代谢病筛查率")),
    Curated("SCHOOL_PE_HOURS", "中小学生每天校内体育活动时间", "小时", "up", 1, None, None, 1, ("中小学生每天校内体育活动时间",)),
    Curated("SCHOOL_HEALTH_STAFF_SHARE", "中小学校卫生专业技术人员或保健教师配备比例", "%", "up", 2, None, None, 1,
            ("寄宿制中小学校或600名学生以上的非寄宿制中小学校配备专职卫生专业技术人员、600名学生以下的非寄宿制中小学校配备专兼职保健教师或卫生专业技术人员的比例",)),
    Curated("SCHOOL_PSYCH_STAFF_SHARE", "配备专兼职心理健康工作人员的中小学校比例", "%", "up", 2, None, None, 1,
            ("配备专兼职心理健康工作人员的中小学校比例",)),
    Curated("SCHOOL_PE_COURSE_RATE", "符合要求的中小学体育与健康课程开课率", "%", "up", 2, None, None, 1, ("符合要求的中小学体育与健康课程开课率",)),
    Curated("PNEUMOCONIOSIS_SHORT_EXPOSURE_SHARE", "接尘工龄不足5年的劳动者新发尘肺病报告例数占年度报告总例数的比例", "%", "down", 2,
            None, None, 1, ("接尘工龄不足5年的劳动者新发尘肺病报告例数占年度报告总例数的比例",)),
    Curated("CVD_MORTALITY", "心脑血管疾病死亡率", "1/10万", "down", 2, None, None, 1, ("心脑血管疾病死亡率",)),
    Curated("CHRONIC_RESP_MORTALITY_U70", "70岁以下人群慢性呼吸系统疾病死亡率", "1/10万", "down", 2, None, None, 1,
            ("70岁以下人群慢性呼吸系统疾病死亡率",)),
    Curated("TCM_NONDRUG_PRIMARY_SHARE", "乡镇卫生院、社区卫生服务中心提供中医非药物疗法的比例", "%", "up", 2, None, None, 1,
            ("乡镇卫生院、社区卫生服务中心提供中医非药物疗法的比例",)),
    Curated("TCM_NONDRUG_VILLAGE_SHARE", "村卫生室提供中医非药物疗法的比例", "%", "up", 2, None, None, 1, ("村卫生室提供中医非药物疗法的比例",)),
)
# fmt: on

# Why a direction or a formula was chosen where the plans leave it open; becomes the indicator's description.
DESCRIPTIONS = {
    "SEX_RATIO_AT_BIRTH": "以女婴为100的男婴数（正常范围约103–107）；越接近正常越好，故方向为中性。",
    "NATURAL_INCREASE_RATE": "人口监测指标，规划未设目标，方向为中性。",
    "BED_OCCUPANCY_RATE": "规划以提高为目标（69→75）；过高（超过100%）同样不合理。",
    "HTN_MGMT_RATE": "年内已管理高血压患者人数 ÷ 辖区高血压患者总人数（常按18岁以上常住人口 × 25.2% 估算）。",
    "DM_MGMT_RATE": "年内已管理糖尿病患者人数 ÷ 辖区糖尿病患者总人数（常按18岁以上常住人口 × 9.7% 估算）。",
    "CERVICAL_SCREENING_TASK_RATE": "筛查人数 ÷ 上级下达任务数；以任务数为分母时超过100%属正常。",
    "BREAST_SCREENING_TASK_RATE": "筛查人数 ÷ 上级下达任务数；以任务数为分母时超过100%属正常。",
    "HTN_STD_MGMT_RATE": "按规范管理的人数 ÷ 年内已管理的高血压患者人数。",
    "DM_STD_MGMT_RATE": "按规范管理的人数 ÷ 年内已管理的糖尿病患者人数。",
    "PREMATURE_NCD_MORTALITY": "30–70岁人群因心脑血管疾病、癌症、慢性呼吸系统疾病和糖尿病死亡的概率。",
}

# 000's projects carry English categories from the extraction; users see Chinese.
CATEGORIES_000 = {
    "overall_programme": "总体工程", "health_promotion": "健康促进", "campaign": "专项行动",
    "screening_programme": "筛查项目", "service_development": "服务发展", "school_health": "学校卫生",
    "construction": "设施建设", "sports": "全民健身", "disease_control": "疾病防控", "policy": "政策制度",
    "health_system": "医疗服务体系", "primary_care": "基层卫生", "tcm": "中医药", "workforce": "人才队伍",
    "maternal_child": "妇幼健康", "disability": "残疾预防与康复", "environment": "健康环境",
    "patriotic_health": "爱国卫生", "food_drug_safety": "食品药品安全", "water_safety": "饮用水安全",
    "public_safety": "公共安全", "emergency": "应急救援", "health_industry": "健康产业",
    "monitoring_system": "监测体系", "information_system": "信息化", "elderly_care": "老龄健康",
    "nutrition": "营养", "occupational_health": "职业健康", "public_health_programme": "公共卫生项目",
    "reform": "医药卫生体制改革", "research": "科技创新", "insurance": "医疗保障", "cooperation": "交流合作",
    "strategic_positioning": "战略定位", "programme": "项目", "planning": "规划",
}  # fmt: skip

# Chinese row notes replacing the extraction's English ones (plan code -> seq -> note).
ROW_NOTES = {
    "liaocheng-2030": {
        "4": "2015年基期5.5已优于2030年目标7.1，按指标方向（越低越好）评价。",
        "10": "“比2015年降低10/15”未写%号，通常理解为相对降低10%/15%（约18.37/17.35），解析时标记为存疑。",
        "15": "原表无计量单位，按百分比理解。",
        "20": "2015年基期99.1高于2020/2030年目标98。",
    },
    "changle-14th-fyp": {
        "2": "2025年“同比例增加”无数值（应指与人均预期寿命同比例增加），按方向性目标处理。",
        "3": "单位原文写作“/10万”（缺前导1，即每10万活产）；表中2025年为“8.2”，正文（第32行）为“控制在8.2/10万以下”，实为上限；原文无2020年基期值。",
        "4": "表中2020年为“-”，正文（第7行）载2020年为2.27‰；2025年上限3.3高于2020年实际值。",
        "5": "表中2020年为“-”，正文（第7行）载2020年为3.64‰；2025年上限4.0高于2020年实际值。",
        "6": "与第13行为同一概念（重大慢性病过早死亡率）而基期不同（15.37与14.1）；正文（第400行）为“控制在14%以下”。",
        "7": "正文（第32、397行）目标为“30%以上”，表中为30.32。",
        "9": "正文（第330行）写法不同：“适龄儿童国家免疫规划疫苗接种率保持在90%以上”。",
        "10": "表中2020年基期70与正文（第11行）61.39%不一致；2025年目标≥80与正文（第400行）“70%以上”不一致。",
        "11": "表中2020年基期70与正文（第11行）61.76%不一致；2025年目标≥80与正文（第400行）“70%以上”不一致。",
        "12": "原表无数值、无指标性质（“-”和空白）。",
        "13": "名称原文缺“率”字（应为……过早死亡率）；与第6行概念相同而基期不同（14.1与15.37）。",
        "14": "正文（第11行）2020年为“60%以上”，表中为61.98；表中名称为“电子档案”（正文为“电子健康档案”）。",
        "15": "正文（第403行）：“15岁以上人群吸烟率下降至22%以下”。",
        "16": "名称原文跨两行；正文（第403行）目标为“国家卫生乡镇比例不低于50%”，表中70含进入评审程序的乡镇。",
        "18": "正文（第381行）另有中期目标：2023年每千人口托位数达到2.4个。",
        "24": "正文（第8行）称“基层医疗卫生机构每万人口全科医师”。",
        "25": "2025年为年度变化目标而非水平值：力争每年降低1个百分点；正文（第388行）为“每年降低不少于1个百分点”。",
        "26": "正文（第380行）重申2025年目标100%。",
        "27": "名称原文跨两行。",
        "30": "两格均带“≤”；正文（第10行）2020年写作“控制在3%以内”。",
        "31": "无2025年目标，指标性质空白（仅作监测）。",
        "32": "单位栏空白（以女婴为100，正文第14行写作“106.58：100”）；无2025年目标，指标性质空白。",
        "33": "单位亿元。",
    },
    "liaocheng-healthy-action": {
        "14": "基期原文为两个未标注的数值，按名称顺序应为宫颈癌41.37、乳腺癌34.40（原文未说明）。",
        "17": "2022年为年度变化目标：力争每年降低1个百分点以上；2030年“新发近视率明显下降”指另一指标（新发近视率）。",
        "24": "基期394.23至2022年204.27降幅过大，需核对。",
        "30a": "原表第30行含两个分指标，目标格按列读取：2022年100（卫生院/中心）与80（村卫生室），2030年100与85；基期分列社区卫生服务中心100、乡镇卫生院100。",
        "30b": "原表第30行的第二个分指标，见30a。",
    },
}


class SeedError(Exception):
    """The shared seed files are not what this script expects (a curation gap or a changed extraction)."""


def match_key(name: str) -> str:
    """Normalise a name for matching: NFKC folds full-width digits and （）; «» are the 004 text's book marks."""
    text = unicodedata.normalize("NFKC", name).replace("«", "《").replace("»", "》")
    return re.sub(r"\s+", "", text)


def _curation_index() -> dict[str, Curated]:
    index: dict[str, Curated] = {}
    for item in CURATION:
        for name in (item.name, *item.names):
            key = match_key(name)
            if key in index and index[key].code != item.code:
                raise SeedError(f"name {name!r} is curated under two codes: {index[key].code}, {item.code}")
            index[key] = item
    return index


def _curated(index: dict[str, Curated], name: str, where: str) -> Curated:
    try:
        return index[match_key(name)]
    except KeyError:
        raise SeedError(
            f"{where}: no curation entry for indicator name {name!r}; add it to CURATION"
        ) from None


def _year_in(raw: str) -> int | None:
    match = re.search(r"((?:19|20)\d{2})年", unicodedata.normalize("NFKC", raw))
    return int(match.group(1)) if match else None


def _lead_of(responsible: str | None) -> str | None:
    """The lead unit of a '牵头单位：A、B；配合单位：…' text (the whole text when it has no such label)."""
    if not responsible:
        return None
    match = re.search(r"(?:牵头单位|牵头部门|责任单位)[：:](.*?)(?:[；;，,]\s*配合单位|$)", responsible)
    return match.group(1).strip() if match else responsible.strip()


def _investment(raw: str | None) -> float | None:
    match = re.search(r"(\d+(?:\.\d+)?)余?万元", raw or "")
    return float(match.group(1)) if match else None


def _join_notes(*parts: str | bool | None) -> str | None:
    """Sentences joined with 。 (parts may hold their own ；), or None when there is nothing to say."""
    kept = [p.rstrip("。") for p in parts if isinstance(p, str) and p]
    return "。".join(kept) + "。" if kept else None


# ---------------------------------------------------------------------------------------------------------
# One reader per seed: each returns (plan metadata, target years, indicator rows, projects)
# ---------------------------------------------------------------------------------------------------------


def _row(
    plan_code: str,
    index: dict[str, Curated],
    *,
    seq: object,
    domain: str | None,
    name: str,
    unit: str | None,
    nature: str | None,
    lead: str | None,
    baseline_raw: str,
    baseline_year: int,
    targets: dict[str, str],
    note: str | None = None,
    extra_note: str | None = None,
) -> dict:
    """One indicator-table row of a plan file; the indicator code comes from the curation table."""
    where = f"{plan_code} row {seq}"
    curated = _curated(index, name, where)
    note = ROW_NOTES.get(plan_code, {}).get(str(seq), note)
    if note and not re.search(r"[\u4e00-\u9fff]", note):
        # The extraction writes its notes in English; users read Chinese, so each one is translated above.
        raise SeedError(f"{where}: the seed's note needs a Chinese ROW_NOTES entry: {note!r}")
    return {
        "seq": str(seq),
        "domain": domain,
        "name_as_written": name,
        "unit": unit,
        "nature": nature,
        "lead_department": lead,
        "indicator_code": curated.code,
        "baseline": {"raw": baseline_raw, "year": _year_in(baseline_raw) or baseline_year},
        "targets": targets,
        "note": _join_notes(note, extra_note),
    }


def _milestones(items: list[dict], named_by_indicator: bool = False) -> list[dict]:
    result = []
    for m in items:
        name = m["text"]
        if named_by_indicator and m.get("indicator"):
            # 004's annex milestones are bare cells ("实现", "＞３０"); the indicator name makes them readable.
            name = f"{m['indicator']}：{m['text']}"
        result.append({"name": name, "year": m.get("year")})
    return result


def read_000(data: dict, index: dict[str, Curated], code: str) -> dict:
    doc, table = data["document"], data["indicator_tables"][0]
    base_col, target_cols = "2015年", ("2020年", "2030年")
    rows = []
    for seq, r in enumerate(table["rows"], start=1):
        targets = {col[:4]: r["values"][col]["raw"] for col in target_cols}
        rows.append(
            _row(code, index, seq=seq, domain=r["domain"], name=r["name"], unit=r["unit"], nature=r["nature"],
                 lead=r["responsible"], baseline_raw=r["values"][base_col]["raw"],
                 baseline_year=doc["baseline_year"], targets=targets)
        )  # fmt: skip
    projects = []
    for p in data["projects_and_milestones"]:
        # Kept: projects with dated or stated milestones, and construction projects (a register needs those).
        if not p["milestones"] and p["category"] != "construction":
            continue
        if p["category"] not in CATEGORIES_000:
            raise SeedError(f"{code}: project category {p['category']!r} has no Chinese name")
        projects.append(
            {
                "name": p["name"],
                "category": CATEGORIES_000[p["category"]],
                "description": p["description"],
                "lead_department": p["responsible"],
                "implementer": None,
                "location": p["location"],
                "planned_investment": _investment(p["investment"]),
                "stage": None,
                "note": _join_notes(p["investment"] and f"投资：{p['investment']}"),
                "source_line": p["line"],
                "milestones": _milestones(p["milestones"]),
            }
        )
    plan = {
        "code": code,
        "title": doc["title"],
        "short_title": "健康聊城2030",
        "issuer": doc["issuer"],
        "doc_number": doc["doc_number"],
        "issued_on": doc["date"],
        "region": "山东省聊城市",
        "level": doc["level"],
        "period_start": 2016,
        "period_end": 2030,
        "baseline_year": doc["baseline_year"],
        "note": "原文未载明发文机关、文号和日期（约2018年起草）；规划期2016–2030年为推断。指标表基期2015年，目标年2020、2030年"
        "（正文另有2025年目标）。项目仅收录有时间节点的项目和设施建设类项目。",
    }
    return {
        "plan": plan,
        "target_years": [int(c[:4]) for c in target_cols],
        "indicators": rows,
        "projects": projects,
    }


def read_001(data: dict, index: dict[str, Curated], code: str) -> dict:
    doc, table = data["document"], data["indicator_tables"][0]
    rows = []
    for r in table["rows"]:
        rows.append(
            _row(code, index, seq=r["seq"], domain=r["domain"], name=r["name"], unit=r["unit"], nature=r["nature"],
                 lead=r["responsible"], baseline_raw=r["values"]["2020年"]["raw"], baseline_year=doc["baseline_year"],
                 targets={"2025": r["values"]["2025年"]["raw"]}, note=r.get("note"))
        )  # fmt: skip
    projects = []
    for p in data["projects_and_milestones"]:  # the county's own plan: every project goes in the register
        completed = (p.get("status") or "").startswith("completed")
        projects.append(
            {
                "name": p["name"],
                "category": p["category"],
                "description": p["description"],
                "lead_department": _lead_of(p["responsible"]),
                "implementer": None,
                "location": p["location"],
                "planned_investment": _investment(p["investment"]),
                "stage": "投用" if completed else None,
                "note": _join_notes(
                    p["responsible"] and f"责任分工：{p['responsible']}",
                    completed and "“十三五”期间已完成",
                    p["investment"] and f"投资：{p['investment']}",
                    p.get("box") and f"出处：{p['box']}",
                ),
                "source_line": p["line"],
                "milestones": _milestones(p["milestones"]),
            }
        )
    plan = {
        "code": code,
        "title": doc["title"],
        "short_title": "昌乐县“十四五”卫生健康规划",
        "issuer": doc["issuer"],
        "doc_number": doc["doc_number"],
        "issued_on": doc["date"],
        "region": "山东省潍坊市昌乐县",
        "level": doc["level"],
        "period_start": 2021,
        "period_end": 2025,
        "baseline_year": doc["baseline_year"],
        "note": "原文未载明发文机关、文号和日期（推断为昌乐县人民政府印发、县卫生健康局起草）。表1“主要发展指标”基期2020年，"
        "目标年2025年；“-”表示无数据或无目标。",
    }
    return {"plan": plan, "target_years": [2025], "indicators": rows, "projects": projects}


def read_004(data: dict, index: dict[str, Curated], code: str) -> dict:
    doc, table = data["document"], data["indicator_table"]
    actions = {a["number"]: a for a in data["actions"]}
    measures = {f"组织实施{m['number']}": m for m in data["implementation_measures"]}
    rows = []
    for r in table["rows"]:
        written = r["name_as_written"]
        # The annex prints the unit in a trailing half-width bracket: 人均预期寿命(岁). 以乡(镇、街道)… keeps its own.
        match = re.fullmatch(r"(.*)\(([^()]*)\)", written)
        name, unit = (
            (match.group(1), unicodedata.normalize("NFKC", match.group(2))) if match else (written, None)
        )
        action = actions.get(r["mapped_action"]) if r["mapped_action"] else None
        baseline_raw = r["baseline"]["raw"]
        provincial = None
        if _year_in(baseline_raw) is None and r["baseline"]["value"] is not None:
            provincial = "基期水平未注明年份，为2018年山东省数值（原表注）。"
        note = r.get("note") or r["baseline"].get("note")
        targets = {"2022": r["2022"]["raw"], "2030": r["2030"]["raw"]}
        rows.append(
            _row(code, index, seq=r["seq"], domain=action["name"] if action else None, name=name, unit=unit,
                 nature=None, lead=action["lead_unit"] if action else None, baseline_raw=baseline_raw,
                 baseline_year=doc["baseline_year"], targets=targets, note=note, extra_note=provincial)
        )  # fmt: skip
        if r["baseline"].get("year") not in (None, rows[-1]["baseline"]["year"]):
            raise SeedError(f"{code} row {r['seq']}: baseline year disagrees with the seed's")
    projects = []
    for p in data["projects_and_milestones"]:
        # Kept: programmes with milestones, and the facility / creation (创建) ones a county actually builds.
        if not p["milestones"] and p["type"] not in ("facility", "creation_programme"):
            continue
        owner = actions.get(p["action"]) or measures.get(p["action"])
        if owner is None:
            raise SeedError(f"{code}: project {p['name']!r} names unknown action {p['action']!r}")
        category = owner["name"] if p["action"] in actions else "组织实施"
        projects.append(
            {
                "name": p["name"],
                "category": category,
                "description": p["quote"],
                "lead_department": owner["lead_unit"],
                "implementer": "、".join(p["implementing_bodies"]) or None,
                "location": None,
                "planned_investment": None,
                "stage": None,
                "note": f"所属：{p['action']}{owner['name']}",
                "source_line": p["line"],
                "milestones": _milestones(p["milestones"], named_by_indicator=True),
            }
        )
    plan = {
        "code": code,
        "title": doc["title"],
        "short_title": "健康聊城行动",
        "issuer": doc["issuer"],
        "doc_number": doc["doc_number"],
        "issued_on": doc["date"],
        "region": "山东省聊城市",
        "level": doc["level"],
        "period_start": 2020,
        "period_end": 2030,
        "baseline_year": doc["baseline_year"],
        "note": "附件《健康聊城行动主要指标》：未注明年份的基期水平值均为2018年山东省数值（非聊城市），第1、6、23行基期为2019年。"
        "规划期2020–2030年为推断。第30行拆为30a/30b两个分指标。领域按指标所属的行动填写（原文无领域）。"
        "项目收录有时间节点的项目和设施、创建类项目。",
    }
    return {"plan": plan, "target_years": [2022, 2030], "indicators": rows, "projects": projects}


READERS = {"liaocheng-2030": read_000, "changle-14th-fyp": read_001, "liaocheng-healthy-action": read_004}


# ---------------------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------------------


def build_indicator_master(plans: dict[str, dict]) -> dict:
    """Every curated indicator once, with every name the plans use for it (as written and NFKC-folded)."""
    names: dict[str, set[str]] = {c.code: {c.name, *c.names} for c in CURATION}
    for built in plans.values():
        for row in built["indicators"]:
            names[row["indicator_code"]].add(row["name_as_written"])
    indicators = []
    for c in sorted(CURATION, key=lambda c: c.code):
        aliases = set(names[c.code])
        # A pasted table may use half-width brackets/digits where the plan used full-width: keep both spellings.
        aliases |= {unicodedata.normalize("NFKC", a) for a in aliases}
        aliases.discard(c.name)
        indicators.append(
            {
                "code": c.code,
                "name": c.name,
                "aliases": sorted(aliases),
                "unit": c.unit,
                "direction": c.direction,
                "numerator": c.numerator,
                "denominator": c.denominator,
                "factor": c.factor,
                "decimals": c.decimals,
                "description": DESCRIPTIONS.get(c.code),
            }
        )
    return {"format": FORMAT, "indicators": indicators}


def build_plans(seeds: Path) -> dict[str, dict]:
    index = _curation_index()
    plans = {}
    for code, file_name in SEED_FILES.items():
        path = seeds / file_name
        data = json.loads(path.read_text(encoding="utf-8"))
        built = READERS[code](data, index, code)
        built["plan"]["source"] = file_name
        plans[code] = {"format": FORMAT, **built}
    return plans


def dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def build_all(seeds: Path) -> dict[str, str]:
    """Relative output path -> file text, for everything this script owns."""
    sys.path.insert(0, str(HERE))
    try:
        import demo_county_units  # sibling module; kept apart so each file stays readable
    finally:
        sys.path.remove(str(HERE))
    plans = build_plans(seeds)
    files = {f"plans/{code}.json": dump(built) for code, built in plans.items()}
    files["indicators.json"] = dump(build_indicator_master(plans))
    files["demo/county.json"] = dump(demo_county_units.build_county())
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seeds", type=Path, default=DEFAULT_SEEDS, help="folder with the shared seed JSON files"
    )
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into (default: db/seed)")
    args = parser.parse_args(argv)
    if not args.seeds.is_dir():
        print(f"seed folder not found: {args.seeds}", file=sys.stderr)
        return 2
    try:
        files = build_all(args.seeds)
    except SeedError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for rel, text in files.items():
        target = args.out / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        changed = not target.exists() or target.read_text(encoding="utf-8") != text
        if changed:
            target.write_text(text, encoding="utf-8", newline="\n")
        print(f"{'wrote' if changed else 'unchanged'} {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
