-- Idempotency-Key records: the first answer to a POST, replayed to retries with the same key and
-- body. In Postgres, so they survive restarts and are shared by every instance.
CREATE TABLE idempotency_keys (
    tenant_id     TEXT        NOT NULL,
    key           TEXT        NOT NULL,
    request_hash  BYTEA       NOT NULL,
    response      JSONB,                  -- NULL while the first request is in flight
    created_at    TIMESTAMPTZ NOT NULL,
    expires_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
