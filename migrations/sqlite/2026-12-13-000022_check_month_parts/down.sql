DROP TABLE check_month_parts;
