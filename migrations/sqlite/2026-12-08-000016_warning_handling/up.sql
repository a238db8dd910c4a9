-- Warning handling (issue 21, docs/warnings.md). A case is one occurrence of a warning's cause: the change detector
-- opens it in the transaction that emits `warning.opened` and marks it when the cause clears. Its state follows
-- 待签收 → 已签收 → 处置中 → 待核销 → 已办结; every action and system step is a row of warning_actions.
CREATE TABLE warning_cases (
    id INTEGER PRIMARY KEY NOT NULL,
    warning_id TEXT NOT NULL,
    company_code TEXT NOT NULL,
    city_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    level TEXT NOT NULL,
    detail TEXT NOT NULL,
    opened_at TIMESTAMP NOT NULL,
    sign_due TIMESTAMP NOT NULL,
    close_due TIMESTAMP NOT NULL,
    state TEXT NOT NULL,
    signed_at TIMESTAMP,
    signed_by TEXT,
    closed_at TIMESTAMP,
    closed_by TEXT,
    cleared_at TIMESTAMP,
    supervised_at TIMESTAMP,
    supervise_deadline TIMESTAMP,
    returns INTEGER NOT NULL,
    escalated_at TIMESTAMP,
    escalation_level INTEGER NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX warning_cases_by_warning ON warning_cases (warning_id, id);
CREATE INDEX warning_cases_by_state ON warning_cases (state, city_code);
CREATE INDEX warning_cases_by_opened ON warning_cases (opened_at);

-- The timeline: who did what, when, with which note and files; system steps have actor 'system'.
CREATE TABLE warning_actions (
    id INTEGER PRIMARY KEY NOT NULL,
    case_id BIGINT NOT NULL REFERENCES warning_cases (id),
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    at TIMESTAMP NOT NULL,
    note TEXT NOT NULL,
    deadline TIMESTAMP,
    attachments TEXT NOT NULL,
    from_state TEXT,
    to_state TEXT
);
CREATE INDEX warning_actions_by_case ON warning_actions (case_id, id);

-- One row per reason a case was escalated (unsigned, supervision_overdue, returned_twice): the primary key makes an
-- escalation happen once however many workers run the job.
CREATE TABLE warning_escalations (
    case_id BIGINT NOT NULL REFERENCES warning_cases (id),
    reason TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    PRIMARY KEY (case_id, reason)
);

-- Files attached to actions, by the SHA-256 of their content (stored once).
CREATE TABLE attachments (
    sha256 TEXT NOT NULL PRIMARY KEY,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    content BLOB NOT NULL,
    stored_at TIMESTAMP NOT NULL
);

-- Which cases carry which file: whoever may read one of them may fetch it (GET /api/v1/attachments/{sha256}).
CREATE TABLE attachment_uses (
    sha256 TEXT NOT NULL,
    case_id BIGINT NOT NULL REFERENCES warning_cases (id),
    PRIMARY KEY (sha256, case_id)
);

-- In-app notifications of a person; emailed_at is set when a digest carried it.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY NOT NULL,
    username TEXT NOT NULL,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    case_id BIGINT,
    warning_id TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    read_at TIMESTAMP,
    emailed_at TIMESTAMP
);
CREATE INDEX notifications_by_user ON notifications (username, id);

-- E-mail digests are opt-in per account; digest_at is when the last one was sent.
ALTER TABLE accounts ADD COLUMN notify_email BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE accounts ADD COLUMN digest_at TIMESTAMP;
