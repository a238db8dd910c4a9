ALTER TABLE check_month_parts DROP COLUMN short_tasks;
ALTER TABLE check_month_parts DROP COLUMN long_body;
