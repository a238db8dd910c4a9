DROP TABLE password_history;
DROP TABLE accounts;
