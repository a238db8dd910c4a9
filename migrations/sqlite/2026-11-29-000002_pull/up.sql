-- Pull state: per enterprise and table, the watermark (the newest updateDate committed from its endpoint), and per
-- enterprise the outcome of the last attempt.
CREATE TABLE pull_watermarks (
    company_code TEXT NOT NULL,
    table_name TEXT NOT NULL,
    watermark TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (company_code, table_name)
);

CREATE TABLE pull_status (
    company_code TEXT PRIMARY KEY NOT NULL,
    last_attempt_at TIMESTAMP NOT NULL,
    last_success_at TIMESTAMP,
    last_error TEXT,
    consecutive_failures INTEGER NOT NULL,
    last_received INTEGER NOT NULL,
    last_accepted INTEGER NOT NULL,
    last_unchanged INTEGER NOT NULL,
    last_pending INTEGER NOT NULL,
    last_rejected INTEGER NOT NULL
);
