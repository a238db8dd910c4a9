CREATE TABLE record_heads_rebuilt (
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
INSERT INTO record_heads_rebuilt (table_name, company_code, record_id, natural_key, update_date, content_hash,
                                  deleted, received_at)
SELECT table_name, company_code, record_id, natural_key, update_date, content_hash, deleted, received_at
FROM record_heads
ORDER BY table_name, company_code, record_id;
DROP TABLE record_heads;
ALTER TABLE record_heads_rebuilt RENAME TO record_heads;
CREATE INDEX record_heads_id ON record_heads (table_name, record_id);
CREATE INDEX record_heads_key ON record_heads (table_name, company_code, natural_key);
