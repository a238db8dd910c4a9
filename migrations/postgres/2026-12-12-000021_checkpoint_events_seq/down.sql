DROP INDEX events_company_kind_seq;
ALTER TABLE figure_checkpoints DROP COLUMN events_seq;
