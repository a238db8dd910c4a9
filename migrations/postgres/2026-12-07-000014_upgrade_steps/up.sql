-- Upgrade steps done in Rust after the SQL migrations (storage::upgrade::run_steps), one row each once finished, so
-- that later starts skip them: the first, content_hash_sha256, recomputes the content hashes of record_heads and
-- pending_records as SHA-256 (storage::rehash), which SQL cannot do. A step that is interrupted has no row and
-- resumes at the next start.
CREATE TABLE upgrade_steps (
    name TEXT NOT NULL PRIMARY KEY,
    done_at TIMESTAMP NOT NULL
);
