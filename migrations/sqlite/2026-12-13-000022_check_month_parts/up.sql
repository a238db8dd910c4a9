-- The check rows of the months before the figures service's resident ones (docs/scale-out.md, "Several years
-- online"): per enterprise and local month of checkTime (yyyymm), in compact form (domain::checkpoint,
-- domain::months). Derived data, written in the same transaction as the enterprise's checkpoint (whose resident
-- months start where these end); rebuilt from the versions with it.
CREATE TABLE check_month_parts (
    company_code TEXT NOT NULL,
    month INTEGER NOT NULL,
    format INTEGER NOT NULL,
    written_at TIMESTAMP NOT NULL,
    body BLOB NOT NULL,
    PRIMARY KEY (company_code, month)
);
