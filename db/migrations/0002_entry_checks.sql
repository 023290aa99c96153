-- Data entry: logic checks as data, 审核说明 (explanations of failed checks), and the 联系电话 of a return.
-- Conventions as in 0001: ISO text timestamps, Chinese words users see, severities as short ASCII codes.

-- Logic relations of a form, written with its row codes (`03≥03.1+03.2`, `|change(02)| ≤ 30%`); the notation
-- is read by desktop.core.checks and documented in docs/checks.md. A rule states what must hold: when it does
-- not, a 'blocking' rule refuses submission and an 'explain' rule needs a written 审核说明 first.
CREATE TABLE check_rule (
    id          INTEGER PRIMARY KEY,
    data_set_id INTEGER NOT NULL REFERENCES data_set(id) ON DELETE CASCADE,
    code        TEXT NOT NULL,            -- stable code of the rule within its form, e.g. 'ZY01-03'
    expression  TEXT NOT NULL,            -- as written (full-width signs kept); parsed when checked
    message     TEXT NOT NULL,            -- Chinese sentence shown when the rule fails
    severity    TEXT NOT NULL CHECK (severity IN ('blocking', 'explain')),
    source      TEXT,                     -- where the relation is published (表式说明, 审核细则 …)
    sort_order  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (data_set_id, code)
);
CREATE INDEX check_rule_set ON check_rule(data_set_id, sort_order);

-- 审核说明: why a return is right although an 'explain' rule fails. Keyed by the rule's code (not its id), so
-- reloading a form's rules keeps the explanations already written; travels with the return when it is printed.
CREATE TABLE check_explanation (
    data_set_id  INTEGER NOT NULL REFERENCES data_set(id) ON DELETE CASCADE,
    org_unit_id  INTEGER NOT NULL REFERENCES org_unit(id),
    period       TEXT NOT NULL,
    rule_code    TEXT NOT NULL,
    text         TEXT NOT NULL CHECK (length(trim(text)) > 0),
    explained_by TEXT NOT NULL,
    explained_at TEXT NOT NULL,
    PRIMARY KEY (data_set_id, org_unit_id, period, rule_code)
) WITHOUT ROWID;

-- 联系电话 printed in the return's footer beside 填表人; given when the return is submitted.
ALTER TABLE return_state ADD COLUMN contact_phone TEXT;

-- Looking up whether a cell belongs to a signed return (edits are refused then) goes by unit and period.
CREATE INDEX return_state_unit_period ON return_state(org_unit_id, period);
