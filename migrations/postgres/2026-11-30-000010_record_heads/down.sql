DROP INDEX record_heads_hazard;
ALTER TABLE record_heads DROP CONSTRAINT record_heads_pkey, ADD PRIMARY KEY (table_name, company_code, record_id);
CREATE INDEX record_heads_id ON record_heads (table_name, record_id);
CREATE INDEX record_heads_key ON record_heads (table_name, company_code, natural_key);
