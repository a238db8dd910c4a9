-- Monthly reports on the 20th, frozen: a stored report never changes. A correction is a new revision of the same
-- month and scope with its own as_of and a note of what changed. The id is readable: 2026-11.province.r1,
-- 2026-11.140100.r2.
CREATE TABLE reports (
    id TEXT PRIMARY KEY NOT NULL,
    month TEXT NOT NULL,
    scope TEXT NOT NULL,
    revision INTEGER NOT NULL,
    as_of TIMESTAMP NOT NULL,
    note TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by TEXT NOT NULL,
    content TEXT NOT NULL,
    html TEXT NOT NULL,
    xlsx BLOB NOT NULL,
    UNIQUE (month, scope, revision)
);
