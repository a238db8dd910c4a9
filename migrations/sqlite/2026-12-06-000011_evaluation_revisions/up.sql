-- Published means stored (metrics.md §6): a correction of a stored week is a new revision and every revision stays
-- readable. `evaluations` keeps revision 1 (the weekly job's) as before; later revisions go to
-- `evaluation_revision_rows`. One `evaluation_revisions` row describes each revision of a week, the weeks stored
-- before this migration included (as revision 1 by the job).
CREATE TABLE evaluation_revisions (
    week TEXT NOT NULL,
    revision INTEGER NOT NULL,
    as_of TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    enterprises INTEGER NOT NULL,
    PRIMARY KEY (week, revision)
);
INSERT INTO evaluation_revisions (week, revision, as_of, actor, reason, enterprises)
    SELECT week, 1, MIN(as_of), 'job', '', COUNT(*) FROM evaluations GROUP BY week;

CREATE TABLE evaluation_revision_rows (
    week TEXT NOT NULL,
    revision INTEGER NOT NULL,
    company_code TEXT NOT NULL,
    as_of TIMESTAMP NOT NULL,
    score_tenths INTEGER NOT NULL,
    grade TEXT NOT NULL,
    payload TEXT NOT NULL,
    PRIMARY KEY (week, revision, company_code)
);
