-- Weekly evaluations, frozen when the weekly job stores them: one row per enterprise and ISO week, with every
-- component in `payload` (JSON) and the score in tenths (exact).
CREATE TABLE evaluations (
    week TEXT NOT NULL,
    company_code TEXT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    score_tenths INTEGER NOT NULL,
    grade TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (week, company_code)
);

-- Runs of scheduled jobs, one row per job and key (e.g. the week it evaluated): a job that finds its key done does
-- nothing, and a job never runs twice for the same key.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    run_key TEXT NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    outcome TEXT,
    PRIMARY KEY (job, run_key)
);
