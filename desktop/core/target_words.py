"""Vocabulary of target notations, kept apart from the grammar in targets.py.

Every table here is a tuple or a dict of plain strings, so adding a word a new plan uses is a one-line change that
needs no regular-expression knowledge. Words are matched on NFKC-normalised text (half-width digits and signs).
"""

from __future__ import annotations

# Hedges turn a commitment into an aim; they are flagged and removed before the rest is read. 基本 is only a hedge
# before a verb of attainment or a number: 基本医疗 is a noun phrase, not a hedge.
HEDGES_ANYWHERE = ("力争", "争取")
HEDGE_BASIC_BEFORE = (
    "实现",
    "达到",
    "消除",
    "覆盖",
    "全覆盖",
    "建成",
    "完成",
    "形成",
    "满足",
    "普及",
    "具备",
    "控制",
)

# Firm words that add nothing to the rule; removed silently so they are not mistaken for a subject.
FILLERS = ("确保", "继续", "进一步", "逐步", "稳定地", "全部都", "均", "要", "将", "应", "能")

# A cell consisting only of one of these is "no target".
NONE_WORDS = (
    "无",
    "暂无",
    "空",
    "不设",
    "未设",
    "不适用",
    "待定",
    "未定",
    "n/a",
    "na",
    "none",
    "null",
    "x",
    "xx",
)

# Dash-like characters that NFKC leaves alone; mapped to "-" so "——", "–" and "0.30—0.65" read the same way.
# The wave dash 〜 becomes "~" (NFKC already turns ～ into "~"): at the start it means "about", between numbers "to".
DASHES = "—–‒―−⁃‐"
WAVE_DASHES = "〜"

# Change verbs: the sign of the change is carried by the verb, never by the number.
UP_VERBS = ("提高", "提升", "增加", "增长", "上升", "升高", "扩大", "延长", "增", "升", "提")
DOWN_VERBS = ("降低", "下降", "减少", "减低", "缩小", "缩短", "压缩", "降", "减")

# Direction-only verbs (no number). Longer words are tried first, so 增强 is not read as 增.
DIRECTION_VERBS: dict[str, str] = {
    **dict.fromkeys(("提高", "提升", "增加", "增长", "上升", "升高", "扩大", "延长", "增多"), "up"),
    **dict.fromkeys(("降低", "下降", "减少", "减低", "缩小", "缩短", "降"), "down"),
    **dict.fromkeys(
        (
            "改善",
            "完善",
            "优化",
            "加强",
            "增强",
            "好转",
            "向好",
            "健全",
            "巩固",
            "实现",
            "建立",
            "建成",
            "落实",
            "达标",
            "消除",
            "提质",
            "规范",
        ),
        "improve",
    ),
    "稳中有升": "up",
    "稳中有降": "down",
    "只增不减": "up",
    "只减不增": "down",
}

# Adverbs in front of a direction verb. None is a concatenation of two others, which keeps the reading unique.
DIRECTION_MODIFIERS = (
    "持续",
    "稳步",
    "逐年",
    "逐步",
    "明显",
    "显著",
    "大幅度",
    "大幅",
    "较大幅度",
    "不断",
    "进一步",
    "有所",
    "同比例",
    "同步",
    "继续",
    "稳定",
    "快速",
    "全面",
    "切实",
    "加快",
    "有效",
    "得到",
    "逐渐",
    "普遍",
    "明显地",
)

# "Hold" targets: keep a state rather than move. The vocabulary has no "hold" kind, see targets.py.
MAINTAIN_VERBS = ("保持", "维持", "稳定")
MAINTAIN_LEVELS = ("较低", "低", "较高", "高", "良好", "现有", "稳定", "当前", "目前", "低流行", "零")

# Words meaning "all of them" = 100 %. 全面 counts only when it is not an adverb in front of a verb (全面提高).
COVERAGE_WORDS = ("全覆盖", "所有", "全部", "人人", "全员", "全面", "应保尽保", "应检尽检", "应种尽种")

# A part of the whole; beside a coverage word they make the 100 % doubtful ("确保半数力争全部达到").
PARTIAL_WORDS = ("半数", "大多数", "多数", "大部分", "部分")

# Words in front of the number that set the kind. Effects: (kind, strict). "level" is the weakest and yields to
# any bound or suffix. 以上/以下/以内 include the number itself (民法典 第一千二百五十九条), so the word forms are
# inclusive; only the symbols > < and 高于/低于/超过/大于/小于/多于/少于 are strict.
LEAD_WORDS: dict[str, tuple[str, bool]] = {
    "≥": ("at_least", False),
    "不低于": ("at_least", False),
    "不少于": ("at_least", False),
    "不小于": ("at_least", False),
    "大于等于": ("at_least", False),
    "大于或等于": ("at_least", False),
    "至少": ("at_least", False),
    "最少": ("at_least", False),
    "最低": ("at_least", False),
    ">": ("at_least", True),
    "高于": ("at_least", True),
    "超过": ("at_least", True),
    "大于": ("at_least", True),
    "多于": ("at_least", True),
    "≤": ("at_most", False),
    "不高于": ("at_most", False),
    "不超过": ("at_most", False),
    "不多于": ("at_most", False),
    "不大于": ("at_most", False),
    "小于等于": ("at_most", False),
    "小于或等于": ("at_most", False),
    "至多": ("at_most", False),
    "最多": ("at_most", False),
    "最高": ("at_most", False),
    "控制在": ("at_most", False),
    "控制到": ("at_most", False),
    "<": ("at_most", True),
    "低于": ("at_most", True),
    "小于": ("at_most", True),
    "少于": ("at_most", True),
    "≈": ("approx", False),
    "约": ("approx", False),
    "约为": ("approx", False),
    "大约": ("approx", False),
    "接近": ("approx", False),
    "~": ("approx", False),
    "=": ("level", False),
    "达到": ("level", False),
    "达": ("level", False),
    "为": ("level", False),
    "是": ("level", False),
    "在": ("level", False),
    "实现": ("level", False),
    "保持在": ("level", False),
    "保持": ("level", False),
    "维持在": ("level", False),
    "稳定在": ("level", False),
    "力保": ("level", False),
}
# "降到 9 以下" and "提高至 80" name a level reached by moving in one direction, so they are bounds.
for _verb in UP_VERBS:
    for _to in ("到", "至"):
        LEAD_WORDS.setdefault(_verb + _to, ("at_least", False))
for _verb in DOWN_VERBS:
    for _to in ("到", "至"):
        LEAD_WORDS.setdefault(_verb + _to, ("at_most", False))

# Words after the number (and its unit). 余/多 ("130余") means a little more than the number: read as at least.
SUFFIX_WORDS: dict[str, str] = {
    "以上": "at_least",
    "及以上": "at_least",
    "或以上": "at_least",
    "以上水平": "at_least",
    "以下": "at_most",
    "及以下": "at_most",
    "或以下": "at_most",
    "以内": "at_most",
    "之内": "at_most",
    "左右": "approx",
    "上下": "approx",
    "前后": "approx",
    "余": "more_than",
    "多": "more_than",
}

# Comparator: needs a reference value. Strong markers are checked before any number is read; the weak ones only
# catch text nothing else could read.
COMPARATOR_STRONG = (
    "平均水平",
    "平均值",
    "平均数",
    "前列",
    "前茅",
    "先进行列",
    "先进水平",
    "领先",
    "排名",
    "排位",
    "位居",
    "名列",
    "位次",
    "第一方阵",
)
COMPARATOR_PLACES = ("全省", "全市", "全国", "全县", "全区", "省", "市", "国家", "同类", "同级")
COMPARATOR_WEAK = (
    "全省",
    "全市",
    "全国",
    "全县",
    "全区",
    "省级",
    "市级",
    "国家",
    "国际",
    "省内",
    "市内",
    "同类",
    "平均",
)

# A weak comparator word names a reference only after a word that compares ("达到全省标准", "高于全市"); at the
# front of a sentence it names the scope ("全县0-6岁儿童…", "定期开展全市居民…监测").
COMPARISON_LEADS = (
    "达到",
    "高于",
    "低于",
    "优于",
    "好于",
    "超过",
    "不低于",
    "不高于",
    "接近",
    "赶上",
    "相当于",
    "持平",
    "对标",
    "保持在",
    "控制在",
    "进入",
    "跨入",
    "位于",
    "处于",
)

# Verbs that stop a trend: "遏制…上升趋势" asks for the opposite of 上升. 控制 is left out: it is also a noun
# ("疾病预防控制中心服务能力持续提升").
DIRECTION_NEGATORS = ("遏制", "遏止", "扭转", "抑制", "防止", "阻止", "杜绝", "避免")

# Units after a number that make it an age naming a population ("0-6岁儿童", "65岁及以上老人"), not a target.
AGE_UNITS = ("周岁", "岁", "月龄", "个月")

# First match wins, so the negated forms come before the words they contain.
COMPARATOR_DIRECTIONS: tuple[tuple[str, str], ...] = (
    ("不低于", "up"),
    ("不少于", "up"),
    ("不高于", "down"),
    ("不超过", "down"),
    ("优于", "improve"),
    ("好于", "improve"),
    ("领先", "improve"),
    ("前列", "improve"),
    ("前茅", "improve"),
    ("先进", "improve"),
    ("第一方阵", "improve"),
    ("低于", "down"),
    ("以下", "down"),
    ("以内", "down"),
    ("较低", "down"),
    ("控制在", "down"),
    ("下降", "down"),
    ("降低", "down"),
    ("高于", "up"),
    ("超过", "up"),
    ("以上", "up"),
    ("较高", "up"),
    ("提高", "up"),
    ("达到", "improve"),
    ("≤", "down"),
    ("<", "down"),
    ("≥", "up"),
    (">", "up"),
)

# Words in front of a change that are understood and so are not a stray subject.
CHANGE_CONTEXT_WORDS = (
    "平均每年",
    "每一年",
    "每年",
    "年均",
    "逐年",
    "年度",
    "基础之上",
    "基础上",
    "基数上",
    "水平上",
    "基期值",
    "基期",
    "基线",
    "基准",
    "相比",
    "同比",
    "比",
    "较",
    "与",
    "在",
    "的",
    "年",
    "值",
    "水平",
    "累计",
    "总体",
    "要",
    "确保",
    "继续",
)
ANNUAL_WORDS = ("平均每年", "每一年", "每年", "年均", "逐年", "年度")


# Short Chinese labels for the kinds, as the table, the command line and reports show them.
KIND_LABELS_ZH = {
    "level": "达到",
    "at_least": "不低于",
    "at_most": "不高于",
    "approx": "左右",
    "range": "区间",
    "relative_to_base": "较基期",
    "points_change": "百分点",
    "annual_change": "年均",
    "direction": "趋势",
    "coverage": "全覆盖",
    "comparator": "比较",
    "none": "无",
}
