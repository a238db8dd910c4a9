-- Nothing on SQLite: PostgreSQL's migration of the same name partitions the version tables by month of receipt
-- (docs/scale-out.md, "Partitions"). An embedded SQLite database keeps one table per record type. The statement
-- below does nothing; it is here because a migration may not be empty.
SELECT 1;
