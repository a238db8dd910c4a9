-- People's sign-in sessions (issue 20). The cookie holds a random secret; only its SHA-256 is stored, so a copy of
-- the database gives no session. A session ends at sign-out, after the idle timeout, or at its absolute end.
CREATE TABLE sessions (
    id_hash TEXT NOT NULL PRIMARY KEY,
    username TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    last_seen TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    ended_at TIMESTAMP
);
CREATE INDEX sessions_username ON sessions (username);
