-- When each record's first version was received (UTC): the earliest receipt of any of its versions, kept by every
-- upsert of its head. A batch's fold reads the earlier versions of the records it touches from this moment on, so
-- that PostgreSQL reads only the months since (docs/performance.md, "What the partitions cost"). NULL for heads
-- written before this release: their records' versions are read without a bound.
ALTER TABLE record_heads ADD COLUMN first_received_at TIMESTAMP;
