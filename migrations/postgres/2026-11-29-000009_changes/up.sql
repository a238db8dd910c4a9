-- The change feed: an ordered log of what happened (batch stored, figure changed, evaluation published, warning
-- opened or closed, report frozen or revised). seq is the consumer's cursor. On PostgreSQL every append takes one
-- transaction-level advisory lock before it draws its seq, so seqs commit in order and a reader that sees seq n has
-- seen every smaller seq that will ever exist (docs/integration.md). city_code and company_code scope the event
-- (NULL: province-wide, no enterprise detail). payload is JSON text.
CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    at TIMESTAMP NOT NULL,
    kind TEXT NOT NULL,
    city_code TEXT,
    company_code TEXT,
    payload TEXT NOT NULL
);
CREATE INDEX events_at ON events (at);

-- The highest seq removed by the retention prune (0 when nothing was removed): a cursor below it gets 410.
CREATE TABLE event_horizon (
    id BIGINT PRIMARY KEY NOT NULL,
    pruned_through BIGINT NOT NULL
);
INSERT INTO event_horizon (id, pruned_through) VALUES (1, 0);

-- The last figure values and open warnings the change detector emitted, one row per key
-- (figure|<company>|<period>|<figure> or warning|<company>|<kind>); value is JSON text.
CREATE TABLE event_marks (
    mark_key TEXT PRIMARY KEY NOT NULL,
    company_code TEXT NOT NULL,
    value TEXT NOT NULL,
    at TIMESTAMP NOT NULL
);

-- Webhook subscriptions. kinds: comma-separated event kinds ('' = every kind). owner_role (province or service)
-- decides which events the subscription may receive; owner is the token subject that created it. cursor: the last
-- event seq queued for it. failures: consecutive failed attempts (reset by a 2xx).
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL,
    kinds TEXT NOT NULL,
    secret TEXT NOT NULL,
    owner_role TEXT NOT NULL,
    owner TEXT NOT NULL,
    state TEXT NOT NULL,
    cursor BIGINT NOT NULL,
    failures INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    paused_at TIMESTAMP
);

-- One delivery of one event to one subscription, with its attempts. state: pending, delivered or failed.
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_attempt_at TIMESTAMP,
    next_attempt_at TIMESTAMP NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL,
    delivered_at TIMESTAMP
);
CREATE UNIQUE INDEX webhook_deliveries_event ON webhook_deliveries (webhook_id, seq);
CREATE INDEX webhook_deliveries_state ON webhook_deliveries (webhook_id, state, seq);
