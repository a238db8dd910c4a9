-- The enterprise clients that exist (issue 22, docs/data-exchange.md §9–§14).

-- How an enterprise's pushes are answered (standard | national), which cipher its `datas` use (aes128cbc | sm4cbc),
-- and the SHA-256 (hex) of its secret base address `/x/{secret}/…`, set, rotated and revoked by `registry import`.
ALTER TABLE enterprises ADD COLUMN profile TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE enterprises ADD COLUMN cipher TEXT NOT NULL DEFAULT 'aes128cbc';
ALTER TABLE enterprises ADD COLUMN base_secret_hash TEXT;
CREATE UNIQUE INDEX enterprises_by_base_secret ON enterprises (base_secret_hash);

-- A group credential (集团/园区): one HTTP Basic account allowed to push for the listed enterprises.
CREATE TABLE push_groups (
    name TEXT NOT NULL PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE TABLE push_group_members (
    group_name TEXT NOT NULL REFERENCES push_groups (name),
    company_code TEXT NOT NULL,
    PRIMARY KEY (group_name, company_code)
);

-- Photos carried by exchange records (dangerImg, dangerAcceptImg, attachments1–3), stored once in `attachments`
-- by their SHA-256; the record keeps `sha256:<hex>` in their place.
CREATE TABLE record_attachments (
    sha256 TEXT NOT NULL,
    company_code TEXT NOT NULL,
    table_name TEXT NOT NULL,
    record_id TEXT NOT NULL,
    field TEXT NOT NULL,
    PRIMARY KEY (sha256, company_code, table_name, record_id, field)
);
CREATE INDEX record_attachments_by_record ON record_attachments (company_code, table_name, record_id);

-- Held records an enterprise discarded (GET/DELETE /api/v1/exchange/pending): moved here from pending_records with
-- who discarded them and when, so that nothing received is lost.
CREATE TABLE discarded_records (
    seq BIGINT NOT NULL PRIMARY KEY,
    table_name TEXT NOT NULL,
    company_code TEXT NOT NULL,
    record_id TEXT NOT NULL,
    update_date TIMESTAMP NOT NULL,
    content_hash TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    parent_table TEXT NOT NULL,
    parent_key TEXT NOT NULL,
    payload TEXT NOT NULL,
    discarded_at TIMESTAMP NOT NULL,
    discarded_by TEXT NOT NULL
);
CREATE INDEX discarded_records_by_company ON discarded_records (company_code, discarded_at);
