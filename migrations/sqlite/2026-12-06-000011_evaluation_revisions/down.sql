DROP TABLE evaluation_revision_rows;
DROP TABLE evaluation_revisions;
