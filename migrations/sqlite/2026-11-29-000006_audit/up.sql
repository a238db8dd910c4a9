-- The access audit trail: one row per request to /api/v1/* and per registry change made with the CLI. Append-only
-- and hash-chained: hash = SHA-256 of prev_hash and the row's fields (byte layout in docs/audit.md), the first row's
-- prev_hash is 64 zeros. seq is given by the writer (last seq + 1, inside the write transaction), never by the
-- database, so that it is part of the hashed content. Times are naive UTC, truncated to microseconds.
CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    scope TEXT,
    method TEXT NOT NULL,
    route TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    status INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT,
    client TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_at ON audit_log (at);
