-- Tenants (the partners calling the API) and their API keys. A key is stored only as a keyed
-- hash of its secret; its public id finds it.

CREATE TABLE tenants (
    id              TEXT        PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9_-]{1,62}$'),
    name            TEXT        NOT NULL,
    rate_per_second INT         NOT NULL CHECK (rate_per_second > 0),
    burst           INT         NOT NULL CHECK (burst > 0),
    monthly_quota   BIGINT      NOT NULL CHECK (monthly_quota > 0),
    ip_allow_list   CIDR[]      NOT NULL DEFAULT '{}',   -- empty: any address
    scopes          TEXT[]      NOT NULL DEFAULT '{scoring}',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    disabled_at     TIMESTAMPTZ
);

CREATE TABLE api_keys (
    id              TEXT        PRIMARY KEY,              -- public part of the key
    tenant_id       TEXT        NOT NULL REFERENCES tenants (id),
    secret_hash     BYTEA       NOT NULL,                 -- HMAC-SHA256(pepper, secret)
    label           TEXT,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at      TIMESTAMPTZ
);
CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id);
