-- County Health Desk schema, version 1.
-- Applied by desktop/store/migrations.py inside one transaction together with its _migrations record.
-- Conventions: dates are ISO text (YYYY-MM-DD), timestamps ISO text with seconds in local time,
-- booleans are 0/1 integers, Chinese enumerations are stored as the words users see.

-- Key/value settings: the demo flag ('1'), the county this file belongs to, tolerances. Values are plain text.
CREATE TABLE setting (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Kinds of org unit (县医院, 乡镇卫生院, 村卫生室 …). Reference data, so new kinds need no code change.
CREATE TABLE org_unit_type (
    code       TEXT PRIMARY KEY,          -- short ASCII code, e.g. 'county_hospital'
    name       TEXT NOT NULL UNIQUE,      -- 县医院
    level      INTEGER NOT NULL,          -- level it normally sits at: 1 county, 2 township/street, 3 facility
    sort_order INTEGER NOT NULL DEFAULT 0
);

-- Org units form a tree: county -> township/street -> facility.
CREATE TABLE org_unit (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,     -- the program's own stable code for the unit
    name        TEXT NOT NULL,
    short_name  TEXT,
    level       INTEGER NOT NULL CHECK (level BETWEEN 1 AND 4),
    unit_type   TEXT NOT NULL REFERENCES org_unit_type(code),
    parent_id   INTEGER REFERENCES org_unit(id),
    admin_code  TEXT,                     -- 行政区划代码 (6 or 9/12 digits)
    uscc        TEXT,                     -- 统一社会信用代码, validated (GB 32100) before it is stored
    opened_on   TEXT,
    closed_on   TEXT,
    filed_by_id INTEGER REFERENCES org_unit(id),   -- 代报: the unit that files on this unit's behalf
    sort_order  INTEGER NOT NULL DEFAULT 0,
    CHECK (uscc IS NULL OR length(uscc) = 18),
    CHECK (parent_id IS NULL OR parent_id <> id),
    CHECK (filed_by_id IS NULL OR filed_by_id <> id)
);
CREATE INDEX org_unit_parent ON org_unit(parent_id);
CREATE INDEX org_unit_filed_by ON org_unit(filed_by_id);
CREATE UNIQUE INDEX org_unit_uscc ON org_unit(uscc) WHERE uscc IS NOT NULL;

-- What can be recorded: one number, percent, text, date or yes/no per unit and period.
CREATE TABLE data_element (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    short_name  TEXT,
    unit        TEXT,                     -- 计量单位 as printed: 个, 张, 人, %, 万元 …
    value_type  TEXT NOT NULL CHECK (value_type IN ('integer', 'number', 'percent', 'text', 'date', 'yesno')),
    decimals    INTEGER NOT NULL DEFAULT 0 CHECK (decimals BETWEEN 0 AND 6),
    min_value   REAL,
    max_value   REAL,
    aggregation TEXT NOT NULL DEFAULT 'sum' CHECK (aggregation IN ('sum', 'average', 'none')),
    description TEXT
);

-- A data set is a form: the rows a unit fills for a period.
CREATE TABLE data_set (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    period_type  TEXT NOT NULL CHECK (period_type IN ('year', 'quarter', 'month', 'mch_year')),
    deadline     TEXT,                    -- e.g. '+20d' after the period ends; interpreted by core.periods
    description  TEXT
);

-- Which unit types fill a data set (and so which units see it in the entry screen).
CREATE TABLE data_set_unit_type (
    data_set_id INTEGER NOT NULL REFERENCES data_set(id) ON DELETE CASCADE,
    unit_type   TEXT NOT NULL REFERENCES org_unit_type(code),
    PRIMARY KEY (data_set_id, unit_type)
);

-- Ordered rows of a form. A row without an element is a section heading. parent_row_id nests 其中 rows.
CREATE TABLE data_set_row (
    id            INTEGER PRIMARY KEY,
    data_set_id   INTEGER NOT NULL REFERENCES data_set(id) ON DELETE CASCADE,
    row_code      TEXT NOT NULL,          -- 01, 01.1, A1 …
    label         TEXT NOT NULL,          -- the name as the form prints it
    element_id    INTEGER REFERENCES data_element(id),
    parent_row_id INTEGER REFERENCES data_set_row(id),
    section       TEXT,
    required      INTEGER NOT NULL DEFAULT 1 CHECK (required IN (0, 1)),
    sort_order    INTEGER NOT NULL,
    UNIQUE (data_set_id, row_code)
);
CREATE INDEX data_set_row_element ON data_set_row(element_id);

-- One value per element x unit x period. value holds a number (REAL/INTEGER) or text, per the element's type.
-- Denominator provenance applies to counts used as denominators: a count, an estimate or a task quota.
CREATE TABLE data_value (
    element_id          INTEGER NOT NULL REFERENCES data_element(id),
    period              TEXT NOT NULL,    -- canonical period code, see core.periods
    org_unit_id         INTEGER NOT NULL REFERENCES org_unit(id),
    value,                                -- no declared type: numbers stay numbers, text stays text ('001')
    comment             TEXT,
    follow_up           INTEGER NOT NULL DEFAULT 0 CHECK (follow_up IN (0, 1)),
    provenance          TEXT CHECK (provenance IN ('count', 'estimate', 'quota')),
    provenance_formula  TEXT,             -- e.g. '18岁以上常住人口 × 25.2%'
    provenance_source   TEXT,             -- e.g. '中国居民营养与慢性病状况报告(2020年)'
    stored_by           TEXT NOT NULL,
    stored_at           TEXT NOT NULL,
    PRIMARY KEY (element_id, period, org_unit_id)
) WITHOUT ROWID;
CREATE INDEX data_value_unit_period ON data_value(org_unit_id, period);

-- Every insert, change and delete of a value. Written by the same transaction as the change itself.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    element_id  INTEGER NOT NULL,
    period      TEXT NOT NULL,
    org_unit_id INTEGER NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete')),
    old_value,
    new_value,
    old_comment TEXT,
    new_comment TEXT,
    changed_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX audit_log_cell ON audit_log(element_id, period, org_unit_id);

-- Indicators: what plans set targets on. Computed as numerator / denominator x factor over element codes,
-- or, when only a numerator is given, the value of that one element (an indicator entered directly).
CREATE TABLE indicator (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    unit        TEXT,
    direction   TEXT NOT NULL DEFAULT 'up' CHECK (direction IN ('up', 'down', 'neutral')),
    numerator   TEXT,                     -- formula over element codes, e.g. 'DOC_PRACT + DOC_ASSIST'
    denominator TEXT,                     -- formula over element codes, or NULL
    factor      REAL NOT NULL DEFAULT 1,  -- 100, 1000, 100000 …
    decimals    INTEGER NOT NULL DEFAULT 2,
    description TEXT
);

CREATE TABLE indicator_alias (
    alias        TEXT PRIMARY KEY,
    indicator_id INTEGER NOT NULL REFERENCES indicator(id) ON DELETE CASCADE
);
CREATE INDEX indicator_alias_indicator ON indicator_alias(indicator_id);

-- Plans: 健康XX2030, 十四五规划 …
CREATE TABLE plan (
    id            INTEGER PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    short_title   TEXT,
    issuer        TEXT,
    doc_number    TEXT,                   -- 文号
    issued_on     TEXT,
    region        TEXT,
    level         TEXT,                   -- province / city / county
    period_start  INTEGER,
    period_end    INTEGER,
    baseline_year INTEGER,
    source        TEXT,                   -- where the plan came from (seed file, pasted table)
    note          TEXT
);

-- One row of a plan's indicator table.
CREATE TABLE plan_indicator (
    id              INTEGER PRIMARY KEY,
    plan_id         INTEGER NOT NULL REFERENCES plan(id) ON DELETE CASCADE,
    indicator_id    INTEGER NOT NULL REFERENCES indicator(id),
    seq             TEXT,                 -- 序号 as printed: 1, 30a …
    domain          TEXT,                 -- 领域
    name_as_written TEXT NOT NULL,
    unit_as_written TEXT,
    nature          TEXT CHECK (nature IN ('预期性', '约束性')),
    lead_department TEXT,
    baseline_raw    TEXT,
    baseline_value  REAL,
    baseline_year   INTEGER,
    note            TEXT,
    sort_order      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX plan_indicator_plan ON plan_indicator(plan_id, sort_order);
CREATE INDEX plan_indicator_indicator ON plan_indicator(indicator_id);

-- A target for a milestone year: the text exactly as the plan writes it, and the rule the parser read from it.
CREATE TABLE target (
    id                INTEGER PRIMARY KEY,
    plan_indicator_id INTEGER NOT NULL REFERENCES plan_indicator(id) ON DELETE CASCADE,
    year              INTEGER NOT NULL,
    raw               TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('level', 'at_least', 'at_most', 'approx', 'range',
                        'relative_to_base', 'points_change', 'annual_change', 'direction', 'coverage',
                        'comparator', 'none')),
    value             REAL,
    value_max         REAL,
    base_year         INTEGER,
    change            TEXT CHECK (change IN ('percent', 'points')),
    direction         TEXT CHECK (direction IN ('up', 'down', 'improve')),
    strict            INTEGER NOT NULL DEFAULT 0 CHECK (strict IN (0, 1)),
    hedge             INTEGER NOT NULL DEFAULT 0 CHECK (hedge IN (0, 1)),
    ambiguous         INTEGER NOT NULL DEFAULT 0 CHECK (ambiguous IN (0, 1)),
    note              TEXT,
    UNIQUE (plan_indicator_id, year)
);

-- Projects from plans' 重点项目/专栏, and their dated milestones.
CREATE TABLE project (
    id                  INTEGER PRIMARY KEY,
    plan_id             INTEGER REFERENCES plan(id) ON DELETE SET NULL,
    name                TEXT NOT NULL,
    category            TEXT,
    description         TEXT,
    org_unit_id         INTEGER REFERENCES org_unit(id),
    lead_department     TEXT,
    implementer         TEXT,
    planned_investment  REAL,             -- 万元
    stage               TEXT NOT NULL DEFAULT '谋划' CHECK (stage IN ('谋划', '前期', '在建', '竣工', '投用')),
    planned_start       TEXT,
    planned_finish      TEXT,
    actual_start        TEXT,
    actual_finish       TEXT,
    suspended           INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),   -- 停缓建, set by a person
    note                TEXT,
    sort_order          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX project_plan ON project(plan_id);

CREATE TABLE milestone (
    id         INTEGER PRIMARY KEY,
    project_id INTEGER NOT NULL REFERENCES project(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    due_on     TEXT,
    done_on    TEXT,
    evidence   TEXT,
    sort_order INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX milestone_project ON milestone(project_id, sort_order);

-- Where a return (data set x unit x period) stands in draft -> submitted -> reviewed -> approved.
CREATE TABLE return_state (
    data_set_id  INTEGER NOT NULL REFERENCES data_set(id),
    org_unit_id  INTEGER NOT NULL REFERENCES org_unit(id),
    period       TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'submitted', 'reviewed', 'approved')),
    submitted_by TEXT,
    submitted_at TEXT,
    reviewed_by  TEXT,
    reviewed_at  TEXT,
    approved_by  TEXT,
    approved_at  TEXT,
    PRIMARY KEY (data_set_id, org_unit_id, period)
) WITHOUT ROWID;

-- Every workflow step, including reopenings with their reason.
CREATE TABLE return_event (
    id          INTEGER PRIMARY KEY,
    data_set_id INTEGER NOT NULL,
    org_unit_id INTEGER NOT NULL,
    period      TEXT NOT NULL,
    action      TEXT NOT NULL,            -- submit / review / approve / reopen
    from_state  TEXT NOT NULL,
    to_state    TEXT NOT NULL,
    actor       TEXT NOT NULL,
    at          TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX return_event_return ON return_event(data_set_id, org_unit_id, period);

INSERT INTO org_unit_type (code, name, level, sort_order) VALUES
    ('county',            '县（市、区）',        1, 10),
    ('street',            '街道',                2, 20),
    ('town',              '镇',                  2, 21),
    ('township',          '乡',                  2, 22),
    ('county_hospital',   '县医院',              3, 30),
    ('tcm_hospital',      '中医院',              3, 31),
    ('mch_centre',        '妇幼保健院',          3, 32),
    ('cdc',               '疾控中心',            3, 33),
    ('health_bureau',     '卫生健康局',          3, 34),
    ('specialist_hospital','专科医院',           3, 35),
    ('private_hospital',  '民营医院',            3, 36),
    ('township_hc',       '乡镇卫生院',          3, 40),
    ('community_hc',      '社区卫生服务中心',    3, 41),
    ('community_station', '社区卫生服务站',      4, 42),
    ('village_clinic',    '村卫生室',            4, 43),
    ('clinic',            '诊所（医务室）',      4, 44),
    ('other',             '其他卫生机构',        3, 90);
