-- Revoked tokens, by their `jti`: the verifier refuses them (401) until they expire. Times are naive UTC;
-- expires_at is the token's `exp` when known (rows past it can be pruned), NULL when only the jti was given.
CREATE TABLE revoked_tokens (
    jti TEXT PRIMARY KEY NOT NULL,
    reason TEXT NOT NULL,
    revoked_by TEXT NOT NULL,
    revoked_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP
);
