-- Core schema: companies, their filed statements and events, the current score of each company,
-- and the append-only decision journal (partitioned by month, one hash chain per writer).

CREATE TABLE companies (
    id            BIGSERIAL PRIMARY KEY,
    -- TEXT, not CHAR(2): a bpchar column compared with text parameters loses its index.
    country       TEXT        NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    national_id   TEXT        NOT NULL,
    lei           TEXT        UNIQUE CHECK (lei ~ '^[0-9A-Z]{20}$'), -- ISO 17442 LEI, when known
    name          TEXT        NOT NULL,
    legal_form    TEXT,
    sector        TEXT,                      -- NAF / NACE code, e.g. 25.62A
    region        TEXT,
    created_on    DATE,
    status        TEXT        NOT NULL DEFAULT 'active'
                  CHECK (status IN ('active', 'ceased')),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT companies_identifier_uk UNIQUE (country, national_id)
);

-- Raw statement lines of one fiscal year, in the statement currency. NULL means "not filed",
-- never zero: ratios built on a missing line stay missing.
CREATE TABLE financial_statements (
    company_id               BIGINT      NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    fiscal_year              INT         NOT NULL CHECK (fiscal_year BETWEEN 1900 AND 2200),
    period_end               DATE,
    currency                 TEXT        NOT NULL DEFAULT 'EUR' CHECK (currency ~ '^[A-Z]{3}$'),
    total_assets             NUMERIC(20, 2),
    fixed_assets             NUMERIC(20, 2),
    current_assets           NUMERIC(20, 2),
    inventory                NUMERIC(20, 2),
    receivables              NUMERIC(20, 2),
    cash                     NUMERIC(20, 2),
    short_term_securities    NUMERIC(20, 2),
    equity                   NUMERIC(20, 2),
    share_capital            NUMERIC(20, 2),
    retained_earnings        NUMERIC(20, 2),
    total_liabilities        NUMERIC(20, 2),
    short_term_liabilities   NUMERIC(20, 2),
    long_term_liabilities    NUMERIC(20, 2),
    sales                    NUMERIC(20, 2),
    cost_of_products_sold    NUMERIC(20, 2),
    operating_expenses       NUMERIC(20, 2),
    total_costs              NUMERIC(20, 2),
    profit_on_sales          NUMERIC(20, 2),
    operating_profit         NUMERIC(20, 2),   -- profit on operating activities
    financial_expenses       NUMERIC(20, 2),
    interest                 NUMERIC(20, 2),
    extraordinary_items      NUMERIC(20, 2),
    gross_profit             NUMERIC(20, 2),
    ebit                     NUMERIC(20, 2),
    depreciation             NUMERIC(20, 2),
    net_profit               NUMERIC(20, 2),
    updated_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, fiscal_year)
);

-- Facts the statements do not show. (source, external_ref) makes re-imports idempotent.
CREATE TABLE company_events (
    id               BIGSERIAL PRIMARY KEY,
    company_id       BIGINT      NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    kind             TEXT        NOT NULL
                     CHECK (kind IN ('payment_incident', 'insolvency_proceeding', 'accounts_filed')),
    occurred_on      DATE        NOT NULL,
    amount           NUMERIC(20, 2),
    days_late        INT CHECK (days_late IS NULL OR days_late >= 0),
    proceeding_kind  TEXT
                     CHECK (proceeding_kind IS NULL OR proceeding_kind IN
                            ('sauvegarde', 'redressement_judiciaire', 'liquidation_judiciaire')),
    closed_on        DATE,
    source           TEXT        NOT NULL DEFAULT 'import',
    external_ref     TEXT        NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT company_events_ref_uk UNIQUE (source, external_ref),
    CONSTRAINT insolvency_has_kind CHECK (kind <> 'insolvency_proceeding' OR proceeding_kind IS NOT NULL)
);
CREATE INDEX company_events_company_idx ON company_events (company_id, occurred_on DESC);

-- The last score computed for each company: what the gateway serves and what monitoring compares.
CREATE TABLE company_scores (
    company_id     BIGINT PRIMARY KEY REFERENCES companies (id) ON DELETE CASCADE,
    score          INT          NOT NULL CHECK (score BETWEEN 0 AND 100),
    pd             DOUBLE PRECISION NOT NULL CHECK (pd BETWEEN 0 AND 1),
    risk_level     TEXT         NOT NULL,
    model_version  TEXT         NOT NULL,
    data_as_of     DATE,
    reasons        JSONB        NOT NULL,
    computed_at    TIMESTAMPTZ  NOT NULL
);

-- Append-only decision journal. Each writer keeps its own chain: hash = SHA-256(prev_hash || row).
CREATE TABLE decision_journal (
    decision_id     UUID         NOT NULL,
    created_at      TIMESTAMPTZ  NOT NULL,
    writer_id       TEXT         NOT NULL,
    seq             BIGINT       NOT NULL,
    tenant_id       TEXT         NOT NULL,
    request_id      TEXT         NOT NULL,
    country         TEXT         NOT NULL,
    national_id     TEXT         NOT NULL,
    model_version   TEXT         NOT NULL,
    policy_version  TEXT         NOT NULL,
    -- Inputs, features used, outputs, reasons. JSON (not JSONB) keeps the exact text that was
    -- hashed, so the chain can be verified from what is stored.
    record          JSON         NOT NULL,
    prev_hash       BYTEA        NOT NULL,
    hash            BYTEA        NOT NULL,
    PRIMARY KEY (decision_id, created_at)
) PARTITION BY RANGE (created_at);

CREATE TABLE decision_journal_default PARTITION OF decision_journal DEFAULT;
CREATE INDEX decision_journal_chain_idx ON decision_journal (writer_id, seq);
CREATE INDEX decision_journal_company_idx ON decision_journal (country, national_id, created_at);

-- Monthly partitions are created ahead of time at start-up (and by this function from cron).
CREATE FUNCTION ensure_journal_partitions(months_ahead INT) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
    m      DATE := date_trunc('month', now())::date;
    i      INT;
    pname  TEXT;
BEGIN
    FOR i IN 0..months_ahead LOOP
        pname := 'decision_journal_' || to_char(m, 'YYYY_MM');
        IF to_regclass(pname) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF decision_journal FOR VALUES FROM (%L) TO (%L)',
                           pname, m, (m + INTERVAL '1 month')::date);
        END IF;
        m := (m + INTERVAL '1 month')::date;
    END LOOP;
END $$;

-- The journal is append-only: updates and deletes are refused at the database.
CREATE FUNCTION refuse_journal_change() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'decision_journal is append-only';
END $$;
CREATE TRIGGER decision_journal_append_only
    BEFORE UPDATE OR DELETE ON decision_journal
    FOR EACH ROW EXECUTE FUNCTION refuse_journal_change();
