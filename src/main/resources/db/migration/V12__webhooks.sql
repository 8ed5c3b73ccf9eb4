-- Webhook endpoints, the outbox of messages to deliver (webhooks and e-mails), every delivery
-- attempt, and the e-mail digests of portfolios. Messages are written in the transaction of the
-- alert (or score change, or batch) that causes them, so none is lost and none is sent for a
-- change that rolled back.

CREATE TABLE webhook_endpoints (
    id                    UUID        PRIMARY KEY,
    tenant_id             TEXT        NOT NULL REFERENCES tenants (id),
    url                   TEXT        NOT NULL,
    description           TEXT        NOT NULL DEFAULT '',
    event_types           TEXT[]      NOT NULL,
    portfolio_id          UUID,                   -- only this portfolio's alerts; NULL = all
    owner_email           TEXT,                   -- told when the endpoint is disabled
    enabled               BOOLEAN     NOT NULL DEFAULT TRUE,
    disabled_reason       TEXT,                   -- gone (410), failing (5 days), or by the owner
    -- AES-256-GCM (nonce || ciphertext || tag) of the whsec_ secret: signing needs the secret
    -- itself, so a hash cannot do.
    secret_enc            BYTEA       NOT NULL,
    previous_secret_enc   BYTEA,                  -- still signs until previous_secret_until
    previous_secret_until TIMESTAMPTZ,
    failing_since         TIMESTAMPTZ,            -- first failure since the last success
    created_at            TIMESTAMPTZ NOT NULL,
    updated_at            TIMESTAMPTZ NOT NULL
);
CREATE INDEX webhook_endpoints_tenant_idx ON webhook_endpoints (tenant_id);

-- The outbox. A message is one event for one endpoint (channel webhook) or one mail (channel
-- email); its id is the webhook-id, stable across retries and replays.
CREATE TABLE webhook_messages (
    id              TEXT        PRIMARY KEY,
    tenant_id       TEXT        NOT NULL REFERENCES tenants (id),
    channel         TEXT        NOT NULL CHECK (channel IN ('webhook', 'email')),
    endpoint_id     UUID        REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_type      TEXT        NOT NULL,
    payload         TEXT        NOT NULL,         -- the exact bytes sent (and signed)
    status          TEXT        NOT NULL DEFAULT 'pending'
                                CHECK (status IN ('pending', 'delivered', 'dead')),
    attempts        INT         NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL,         -- also the lease of a claimed message
    claim_id        UUID,                         -- the dispatcher's claim; guards its result
    created_at      TIMESTAMPTZ NOT NULL,
    delivered_at    TIMESTAMPTZ,
    last_error      TEXT,
    CHECK ((channel = 'webhook') = (endpoint_id IS NOT NULL))
);
CREATE INDEX webhook_messages_due_idx ON webhook_messages (next_attempt_at)
    WHERE status = 'pending';
CREATE INDEX webhook_messages_endpoint_idx ON webhook_messages (endpoint_id, created_at);

CREATE TABLE webhook_attempts (
    id               BIGSERIAL   PRIMARY KEY,
    message_id       TEXT        NOT NULL REFERENCES webhook_messages (id) ON DELETE CASCADE,
    endpoint_id      UUID        REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    tenant_id        TEXT        NOT NULL,
    attempted_at     TIMESTAMPTZ NOT NULL,
    status_code      INT,                          -- NULL: no HTTP answer (timeout, refused...)
    duration_ms      INT         NOT NULL,
    outcome          TEXT        NOT NULL,         -- delivered, retry, gone, dead, refused
    response_excerpt TEXT,                         -- at most 1 KB of the answer's body
    error            TEXT
);
CREATE INDEX webhook_attempts_endpoint_idx ON webhook_attempts (endpoint_id, attempted_at DESC);

-- E-mail digests: who gets a portfolio's new alerts, how often, in which language.
CREATE TABLE email_digests (
    id            UUID        PRIMARY KEY,
    tenant_id     TEXT        NOT NULL REFERENCES tenants (id),
    portfolio_id  UUID        NOT NULL,
    recipients    TEXT[]      NOT NULL,
    period        TEXT        NOT NULL CHECK (period IN ('immediately', 'hourly', 'daily')),
    language      TEXT        NOT NULL CHECK (language IN ('en', 'fr')),
    next_send_at  TIMESTAMPTZ,                     -- hourly and daily: the end of the period
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX email_digests_portfolio_idx ON email_digests (portfolio_id);

-- Alerts waiting for their digest's next mail.
CREATE TABLE email_digest_items (
    id          BIGSERIAL   PRIMARY KEY,
    digest_id   UUID        NOT NULL REFERENCES email_digests (id) ON DELETE CASCADE,
    item        JSONB       NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX email_digest_items_digest_idx ON email_digest_items (digest_id, id);
