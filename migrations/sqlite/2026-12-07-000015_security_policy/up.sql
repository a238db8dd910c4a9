-- The security policy the security administrator sets (issue 20, docs/security.md): every version is kept, the
-- highest is in force; without a row the defaults of domain::security_policy apply. The policy is its JSON document
-- (the API's shape: passwordMinLength, …), checked against its bounds before it is stored.
CREATE TABLE security_policy (
    version BIGINT NOT NULL PRIMARY KEY,
    policy TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL
);
