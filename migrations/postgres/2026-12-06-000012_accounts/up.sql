-- People's accounts (issue 20, 等保 level 3): one role each; passwords only as Argon2id PHC strings; a lockout is a
-- time (`locked_until`) that ends by itself, `state` is what an administrator sets.
CREATE TABLE accounts (
    username TEXT NOT NULL PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    city_code TEXT,
    company_code TEXT,
    email TEXT,
    state TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    password_changed_at TIMESTAMP NOT NULL,
    must_change_password BOOLEAN NOT NULL,
    failed_attempts INTEGER NOT NULL,
    locked_until TIMESTAMP,
    last_sign_in TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

-- Every password an account has had (each hash is salted, so unique): a new one may not repeat the last few.
CREATE TABLE password_history (
    username TEXT NOT NULL,
    set_at TIMESTAMP NOT NULL,
    password_hash TEXT NOT NULL,
    PRIMARY KEY (username, password_hash)
);
