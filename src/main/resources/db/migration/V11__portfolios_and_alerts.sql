-- Portfolio monitoring: the tenants' portfolios of watched companies, their members (exposure,
-- reference, the limit and term the tenant's policy recommends), the alert rules of each
-- portfolio with the history of their changes, each rule's condition per member (hysteresis),
-- and the alerts themselves: the single source that notification dispatchers read.

CREATE TABLE portfolios (
    id          UUID        PRIMARY KEY,
    tenant_id   TEXT        NOT NULL REFERENCES tenants (id),
    name        TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
-- Listing a tenant's portfolios pages on (created_at, id).
CREATE INDEX portfolios_tenant_idx ON portfolios (tenant_id, created_at, id);

CREATE TABLE portfolio_members (
    portfolio_id        UUID           NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    company_id          BIGINT         NOT NULL REFERENCES companies (id),
    reference           TEXT           NOT NULL CHECK (length(reference) BETWEEN 1 AND 100),
    exposure            NUMERIC(20, 2) NOT NULL CHECK (exposure >= 0),
    currency            TEXT           NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    payment_terms_days  INT            CHECK (payment_terms_days IS NULL OR payment_terms_days BETWEEN 0 AND 3650),
    -- The 12-month PD when the member was added: the origination point of IFRS 9 staging.
    origination_pd      DOUBLE PRECISION CHECK (origination_pd IS NULL OR origination_pd BETWEEN 0 AND 1),
    -- What the tenant's decision policy recommends, revised at every re-score of the company.
    recommended_limit   NUMERIC(20, 2),
    recommended_term    INT,
    added_at            TIMESTAMPTZ    NOT NULL,
    updated_at          TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (portfolio_id, company_id),
    CONSTRAINT portfolio_members_reference_uk UNIQUE (portfolio_id, reference)
);
-- A re-score finds every portfolio, of every tenant, that holds the company.
CREATE INDEX portfolio_members_company_idx ON portfolio_members (company_id);

-- The rules in force per portfolio: one row per rule, created with the defaults with the
-- portfolio. params holds the rule's own thresholds (e.g. {"below": 40}).
CREATE TABLE alert_rules (
    portfolio_id  UUID           NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    rule          TEXT           NOT NULL CHECK (rule IN ('score_below', 'score_drop', 'risk_level_worse',
                                                          'insolvency_proceeding', 'payment_incident',
                                                          'company_ceased', 'exposure_above_limit')),
    enabled       BOOLEAN        NOT NULL,
    params        JSONB          NOT NULL DEFAULT '{}',
    min_exposure  NUMERIC(20, 2) CHECK (min_exposure IS NULL OR min_exposure >= 0),
    -- The history row that set this state: an alert names the rule version it fired under.
    version       BIGINT         NOT NULL,
    updated_at    TIMESTAMPTZ    NOT NULL,
    updated_by    TEXT           NOT NULL,
    PRIMARY KEY (portfolio_id, rule)
);

-- Every state a rule has been in, append-only, kept after the portfolio is deleted, so an
-- auditor can tell which rules were in force when an alert fired or did not.
CREATE TABLE alert_rule_history (
    id            BIGSERIAL      PRIMARY KEY,
    tenant_id     TEXT           NOT NULL,
    portfolio_id  UUID           NOT NULL,
    rule          TEXT           NOT NULL,
    enabled       BOOLEAN        NOT NULL,
    params        JSONB          NOT NULL,
    min_exposure  NUMERIC(20, 2),
    changed_at    TIMESTAMPTZ    NOT NULL,
    changed_by    TEXT           NOT NULL,
    change        TEXT           NOT NULL CHECK (change IN ('created', 'updated', 'portfolio_deleted'))
);
CREATE INDEX alert_rule_history_portfolio_idx ON alert_rule_history (portfolio_id, changed_at DESC, id DESC);
CREATE TRIGGER alert_rule_history_append_only
    BEFORE UPDATE OR DELETE ON alert_rule_history
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Hysteresis: whether a rule's condition holds for a member. A rule fires when its condition
-- starts to hold, and can fire again only after a row here said it had cleared.
CREATE TABLE alert_conditions (
    portfolio_id  UUID        NOT NULL REFERENCES portfolios (id) ON DELETE CASCADE,
    company_id    BIGINT      NOT NULL,
    rule          TEXT        NOT NULL,
    active        BOOLEAN     NOT NULL,
    changed_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (portfolio_id, company_id, rule)
);

-- Alerts: kept after their portfolio is deleted (no foreign key), read by tenant and portfolio.
CREATE TABLE alerts (
    id                UUID           PRIMARY KEY,
    tenant_id         TEXT           NOT NULL,
    portfolio_id      UUID           NOT NULL,
    rule              TEXT           NOT NULL,
    rule_version      BIGINT,
    company_id        BIGINT         NOT NULL REFERENCES companies (id),
    reference         TEXT           NOT NULL,
    exposure          NUMERIC(20, 2) NOT NULL,
    score_before      INT,
    score_after       INT,
    level_before      TEXT,
    level_after       TEXT,
    -- event | model_change | scheduled | initial | fact | member_change
    cause             TEXT           NOT NULL,
    cause_event_id    BIGINT,
    cause_event_kind  TEXT,
    details           JSONB          NOT NULL DEFAULT '{}',
    status            TEXT           NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'acknowledged', 'resolved')),
    created_at        TIMESTAMPTZ    NOT NULL,
    acknowledged_at   TIMESTAMPTZ,
    acknowledged_by   TEXT,
    acknowledge_comment TEXT,
    resolved_at       TIMESTAMPTZ,
    resolved_by       TEXT,
    resolve_comment   TEXT
);
-- The alerts API pages newest first on (created_at, id) per portfolio.
CREATE INDEX alerts_portfolio_idx ON alerts (portfolio_id, created_at DESC, id DESC);
CREATE INDEX alerts_company_idx ON alerts (company_id, created_at DESC);
-- One event fires one rule once per portfolio and company, even if the fact is delivered twice.
CREATE UNIQUE INDEX alerts_event_once ON alerts (portfolio_id, company_id, rule, cause_event_id)
    WHERE cause_event_id IS NOT NULL AND rule IN ('insolvency_proceeding', 'payment_incident');
