-- Who may speak for a tenant. A bearer token acts for a tenant only when its issuer and client
-- id are bound to it here: a trusted identity provider cannot act for every tenant by choosing a
-- claim's value. One (issuer, client id) speaks for one tenant at most.
CREATE TABLE tenant_issuers (
    issuer          TEXT        NOT NULL CHECK (issuer <> ''),
    client_id       TEXT        NOT NULL CHECK (client_id <> ''),
    tenant_id       TEXT        NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (issuer, client_id)
);
CREATE INDEX tenant_issuers_tenant_idx ON tenant_issuers (tenant_id);

-- Platform administration (creating tenants, keys for any tenant, the model registry) is a role
-- of its own, set only from the command line, held only through API keys: never a scope a
-- partner can be given through the admin API, nor one a token can carry.
ALTER TABLE tenants ADD COLUMN platform BOOLEAN NOT NULL DEFAULT false;
