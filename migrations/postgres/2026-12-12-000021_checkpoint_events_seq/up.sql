-- The change feed's seq through which a checkpoint reflects its enterprise's stored batches: every batch.stored
-- event of the enterprise up to it is folded in. A start folds only the enterprises with a batch.stored event after
-- their checkpoint's mark (one probe of the index below each), and reads their versions only from the earliest such
-- event's moment on, since a batch's versions are received at its event's moment (docs/performance.md, "Restart").
-- NULL for checkpoints written before this release: their enterprises are folded as before.
ALTER TABLE figure_checkpoints ADD COLUMN events_seq BIGINT;
CREATE INDEX events_company_kind_seq ON events (company_code, kind, seq);
