DROP TABLE discarded_records;
DROP TABLE record_attachments;
DROP TABLE push_group_members;
DROP TABLE push_groups;
DROP INDEX enterprises_by_base_secret;
ALTER TABLE enterprises DROP COLUMN base_secret_hash;
ALTER TABLE enterprises DROP COLUMN cipher;
ALTER TABLE enterprises DROP COLUMN profile;
