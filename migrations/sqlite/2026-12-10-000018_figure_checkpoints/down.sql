DROP INDEX check_record_versions_company_seq;
DROP TABLE figure_checkpoints;
