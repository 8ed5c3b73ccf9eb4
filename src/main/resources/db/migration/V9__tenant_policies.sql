-- Tenants' decision policies: immutable versions of CEL rules, and the append-only history of
-- which version is active for each tenant (activations and rollbacks, with who and when). The
-- active version of a tenant is the version of its latest activation; a tenant without one uses
-- the platform default from the configuration. Every instance polls max(id) of the history to
-- switch within seconds.
CREATE TABLE policy_versions (
    version      TEXT        PRIMARY KEY CHECK (version ~ '^[a-z0-9][a-z0-9_-]*-[0-9]{4}-[0-9]{2}-[0-9]{2}\.[0-9]+$'),
    tenant_id    TEXT        NOT NULL REFERENCES tenants (id),
    rules        JSONB       NOT NULL,
    description  TEXT,
    created_by   TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_versions_tenant_idx ON policy_versions (tenant_id, created_at DESC);

CREATE TRIGGER policy_versions_immutable
    BEFORE UPDATE OR DELETE ON policy_versions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE policy_activations (
    id                BIGSERIAL   PRIMARY KEY,
    tenant_id         TEXT        NOT NULL REFERENCES tenants (id),
    version           TEXT        REFERENCES policy_versions (version), -- NULL: the platform default
    previous_version  TEXT,       -- what was active before; NULL: the platform default
    action            TEXT        NOT NULL CHECK (action IN ('activate', 'rollback')),
    actor             TEXT        NOT NULL,
    activated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX policy_activations_tenant_idx ON policy_activations (tenant_id, id DESC);

CREATE TRIGGER policy_activations_append_only
    BEFORE UPDATE OR DELETE ON policy_activations
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
