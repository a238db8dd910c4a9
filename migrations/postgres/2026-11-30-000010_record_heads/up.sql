-- record_heads keyed (table_name, record_id, company_code), as on SQLite: the key serves the lookups of an
-- enterprise's ids and of an id under any enterprise (the foreign-parent check), so record_heads_id goes; natural_key
-- differs from the id only for hazard sources, which keep an index of their own, so record_heads_key goes. Two
-- indexes to write per head instead of three (docs/performance.md). Changing a key and dropping indexes lose no data
-- (the upgrade rule, tests/e2e/upgrade.rs).
ALTER TABLE record_heads DROP CONSTRAINT record_heads_pkey, ADD PRIMARY KEY (table_name, record_id, company_code);
DROP INDEX record_heads_id;
DROP INDEX record_heads_key;
CREATE INDEX record_heads_hazard ON record_heads (company_code, natural_key) WHERE table_name = 'hazard_source';
