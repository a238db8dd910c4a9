-- A stored month in two parts (docs/scale-out.md, "Several years online"): `body` the rows of tasks whose cycle is
-- at most 31 days, `long_body` those of longer cycles, and `short_tasks` the task ids of `body` (one per line), so
-- that a window reaching far back reads the long parts of its early months only. A row written before this
-- migration has `long_body` NULL: its `body` holds every row of the month.
ALTER TABLE check_month_parts ADD COLUMN long_body BYTEA;
ALTER TABLE check_month_parts ADD COLUMN short_tasks TEXT;
-- Stored as it is, like `body`.
ALTER TABLE check_month_parts ALTER COLUMN long_body SET STORAGE EXTERNAL;
