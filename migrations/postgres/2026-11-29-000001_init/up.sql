-- dualprev initial schema. Times are naive UTC. Generated for both backends from one column list;
-- the storage tests check that both trees give the same tables and columns.

-- The enterprise registry (the notice's annex, then imports).
CREATE TABLE enterprises (
    company_code TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    city_code TEXT NOT NULL,
    batch INTEGER,
    flags TEXT NOT NULL,
    annex_no INTEGER,
    credit_code TEXT,
    base_url TEXT,
    aes_key TEXT,
    aes_iv TEXT,
    basic_password_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX enterprises_city ON enterprises (city_code);

-- Every batch received (push or pull), with its outcome counts; the receipt is rebuilt from it and batch_errors.
CREATE TABLE batches (
    batch_id TEXT PRIMARY KEY NOT NULL,
    table_name TEXT NOT NULL,
    company_code TEXT NOT NULL,
    source TEXT NOT NULL,
    actor TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    received INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    pending INTEGER NOT NULL,
    rejected INTEGER NOT NULL
);
CREATE INDEX batches_company_time ON batches (company_code, received_at);
CREATE INDEX batches_time ON batches (received_at);

-- One row per problem found in a batch: rejections and pending notices, in order.
CREATE TABLE batch_errors (
    batch_id TEXT NOT NULL REFERENCES batches (batch_id),
    ord INTEGER NOT NULL,
    record_index INTEGER NOT NULL,
    record_id TEXT,
    field TEXT NOT NULL,
    code TEXT NOT NULL,
    message TEXT NOT NULL,
    PRIMARY KEY (batch_id, ord)
);

-- The raw JSON of each rejected record, so the sender can see exactly what it sent.
CREATE TABLE batch_rejects (
    batch_id TEXT NOT NULL REFERENCES batches (batch_id),
    record_index INTEGER NOT NULL,
    raw TEXT NOT NULL,
    PRIMARY KEY (batch_id, record_index)
);

-- The current version of every record of every exchange table: one row per (table, enterprise, id). natural_key is
-- what children name it by: the hazardCode of a hazard source, the id of any other record. The current version's
-- row in <table>_versions is the one with the same (company_code, record_id, update_date).
CREATE TABLE record_heads (
    table_name TEXT NOT NULL,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    natural_key TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    content_hash TEXT NOT NULL,
    deleted BOOLEAN NOT NULL,
    received_at TIMESTAMP NOT NULL,
    PRIMARY KEY (table_name, company_code, record_id)
);
CREATE INDEX record_heads_id ON record_heads (table_name, record_id);
CREATE INDEX record_heads_key ON record_heads (table_name, company_code, natural_key);

-- Records whose parent is not yet known: held, re-checked when the parent arrives, never dropped.
CREATE TABLE pending_records (
    seq BIGSERIAL PRIMARY KEY,
    table_name TEXT NOT NULL,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    content_hash TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    parent_table TEXT NOT NULL,
    parent_key TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE INDEX pending_parent ON pending_records (company_code, parent_table, parent_key);
CREATE INDEX pending_record ON pending_records (table_name, company_code, record_id);

-- Every accepted version of hazard_source records.
CREATE TABLE hazard_source_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    hazard_code TEXT NOT NULL,
    hazard_name TEXT NOT NULL,
    hazard_level INTEGER NOT NULL,
    responsible_person TEXT,
    technical_person TEXT,
    operation_person TEXT
);
CREATE INDEX hazard_source_versions_record ON hazard_source_versions (company_code, record_id, update_date);
CREATE INDEX hazard_source_versions_parent ON hazard_source_versions (company_code, hazard_code);

-- Every accepted version of risk_unit records.
CREATE TABLE risk_unit_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    hazard_code TEXT NOT NULL,
    hazard_dep TEXT NOT NULL,
    hazard_liable_person TEXT NOT NULL,
    risk_unit_name TEXT NOT NULL,
    risk_class INTEGER
);
CREATE INDEX risk_unit_versions_record ON risk_unit_versions (company_code, record_id, update_date);
CREATE INDEX risk_unit_versions_parent ON risk_unit_versions (company_code, hazard_code);

-- Every accepted version of risk_event records.
CREATE TABLE risk_event_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    risk_unit_id TEXT NOT NULL,
    risk_event_name TEXT NOT NULL,
    risk_description TEXT
);
CREATE INDEX risk_event_versions_record ON risk_event_versions (company_code, record_id, update_date);
CREATE INDEX risk_event_versions_parent ON risk_event_versions (company_code, risk_unit_id);

-- Every accepted version of control_measure records.
CREATE TABLE control_measure_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    risk_event_id TEXT NOT NULL,
    data_src INTEGER NOT NULL,
    risk_measure_desc TEXT NOT NULL,
    classify1 INTEGER NOT NULL,
    classify2 TEXT NOT NULL,
    classify3 TEXT,
    troubleshoot_content TEXT NOT NULL
);
CREATE INDEX control_measure_versions_record ON control_measure_versions (company_code, record_id, update_date);
CREATE INDEX control_measure_versions_parent ON control_measure_versions (company_code, risk_event_id);

-- Every accepted version of check_task records.
CREATE TABLE check_task_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    risk_measure_id TEXT NOT NULL,
    troubleshoot_content TEXT NOT NULL,
    check_cycle_hundredths BIGINT NOT NULL,
    check_cycle_unit TEXT NOT NULL,
    task_start_time TIMESTAMP NOT NULL,
    work_start_secs INTEGER,
    work_end_secs INTEGER,
    work_day_type INTEGER NOT NULL,
    work_type INTEGER NOT NULL,
    task_num INTEGER
);
CREATE INDEX check_task_versions_record ON check_task_versions (company_code, record_id, update_date);
CREATE INDEX check_task_versions_parent ON check_task_versions (company_code, risk_measure_id);

-- Every accepted version of check_record records.
CREATE TABLE check_record_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    check_task_id TEXT NOT NULL,
    check_time TIMESTAMP NOT NULL,
    check_status INTEGER NOT NULL,
    mobile_me TEXT,
    is_defend INTEGER
);
CREATE INDEX check_record_versions_record ON check_record_versions (company_code, record_id, update_date);
CREATE INDEX check_record_versions_parent ON check_record_versions (company_code, check_task_id);

-- Every accepted version of danger records.
CREATE TABLE danger_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    hazard_code TEXT NOT NULL,
    danger_name TEXT NOT NULL,
    danger_level INTEGER NOT NULL,
    regist_time TIMESTAMP NOT NULL,
    registrant TEXT NOT NULL,
    danger_src INTEGER NOT NULL,
    danger_manage_type INTEGER NOT NULL,
    hazard_danger_type INTEGER NOT NULL,
    danger_desc TEXT NOT NULL,
    liable_person TEXT NOT NULL,
    danger_state INTEGER NOT NULL,
    manage_deadline TIMESTAMP,
    manage_deadline_is_date BOOLEAN NOT NULL,
    hazard_category INTEGER,
    risk_measure_id TEXT,
    check_record_id TEXT,
    danger_reason TEXT,
    control_measures TEXT,
    cost TEXT,
    check_accept_person TEXT,
    check_accept_time TIMESTAMP,
    check_accept_comment TEXT
);
CREATE INDEX danger_versions_record ON danger_versions (company_code, record_id, update_date);
CREATE INDEX danger_versions_parent ON danger_versions (company_code, hazard_code);

-- Every accepted version of unit_stop records.
CREATE TABLE unit_stop_versions (
    seq BIGSERIAL PRIMARY KEY,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    deleted BOOLEAN NOT NULL,
    create_date TIMESTAMP NOT NULL,
    create_by TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    update_by TEXT NOT NULL,
    credit_code TEXT,
    extra TEXT,
    risk_unit_id TEXT NOT NULL,
    stop_start_time TIMESTAMP NOT NULL,
    stop_end_time TIMESTAMP,
    stop_reason TEXT NOT NULL
);
CREATE INDEX unit_stop_versions_record ON unit_stop_versions (company_code, record_id, update_date);
CREATE INDEX unit_stop_versions_parent ON unit_stop_versions (company_code, risk_unit_id);
