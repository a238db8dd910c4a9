DROP TABLE pull_status;
DROP TABLE pull_watermarks;
