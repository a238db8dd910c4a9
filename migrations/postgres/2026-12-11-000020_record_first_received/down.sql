ALTER TABLE record_heads DROP COLUMN first_received_at;
