-- The figures service's checkpoints (docs/performance.md, "Restarts and past asOf"): per enterprise, its check
-- history in compact form (domain::checkpoint), reflecting its check record versions up to check_seq. Derived data:
-- a missing or unreadable checkpoint is rebuilt from the versions.
CREATE TABLE figure_checkpoints (
    company_code TEXT PRIMARY KEY NOT NULL,
    format INTEGER NOT NULL,
    check_seq BIGINT NOT NULL,
    written_at TIMESTAMP NOT NULL,
    body BYTEA NOT NULL
);

-- The check versions an enterprise stored after a seq: what a checkpoint or the cache has not folded in yet.
CREATE INDEX check_record_versions_company_seq ON check_record_versions (company_code, seq);
