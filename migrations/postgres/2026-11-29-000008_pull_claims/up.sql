-- Pull claims, for several workers on one database: an enterprise's pull in a cycle is claimed by one worker at a
-- time. The cycle is named by its scheduled minute (UTC, '2026-11-29T20:00Z'). A claim holds until claimed_until,
-- which the worker renews while it pulls; a claim past it and not done is taken over by another worker (attempts
-- counts the takers). done_at is set when the pull ended, successful or not (the outcome is in pull_status).
CREATE TABLE pull_claims (
    cycle TEXT NOT NULL,
    company_code TEXT NOT NULL,
    worker TEXT NOT NULL,
    claimed_until TIMESTAMP NOT NULL,
    attempts INTEGER NOT NULL,
    done_at TIMESTAMP,
    PRIMARY KEY (cycle, company_code)
);
CREATE INDEX pull_claims_open ON pull_claims (cycle, done_at);
