ALTER TABLE accounts DROP COLUMN digest_at;
ALTER TABLE accounts DROP COLUMN notify_email;
DROP TABLE notifications;
DROP TABLE attachment_uses;
DROP TABLE attachments;
DROP TABLE warning_escalations;
DROP TABLE warning_actions;
DROP TABLE warning_cases;
