-- Monitoring, facts side: the grade of the current score, the append-only history of every score
-- change with its cause, the fact kinds and columns that data providers and open-data imports
-- bring, and the scheduled re-scoring rounds that instances share through row locks.

ALTER TABLE company_scores ADD COLUMN grade TEXT;

-- company_events: a status change (active, ceased) is a fact too; the optional columns below carry
-- what each kind publishes (the court of a proceeding, the due date of an unpaid invoice, the
-- fiscal year of filed accounts) and the provider's own fields that scoring does not read.
ALTER TABLE company_events DROP CONSTRAINT company_events_kind_check;
ALTER TABLE company_events ADD CONSTRAINT company_events_kind_check
    CHECK (kind IN ('payment_incident', 'insolvency_proceeding', 'accounts_filed', 'status_changed'));
ALTER TABLE company_events ADD COLUMN status TEXT CHECK (status IS NULL OR status IN ('active', 'ceased'));
ALTER TABLE company_events ADD CONSTRAINT status_change_has_status
    CHECK (kind <> 'status_changed' OR status IS NOT NULL);
ALTER TABLE company_events ADD COLUMN court TEXT;
ALTER TABLE company_events ADD COLUMN due_on DATE;
ALTER TABLE company_events ADD COLUMN fiscal_year INT;
ALTER TABLE company_events ADD COLUMN details JSONB;

-- Every change of a company's current score, append-only. cause_event_id names the fact that
-- caused it (cause 'event'); NULL for a model change, a scheduled round or the first score.
CREATE TABLE score_history (
    id              BIGSERIAL        PRIMARY KEY,
    company_id      BIGINT           NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    score           INT              NOT NULL CHECK (score BETWEEN 0 AND 100),
    pd              DOUBLE PRECISION NOT NULL CHECK (pd BETWEEN 0 AND 1),
    grade           TEXT,
    risk_level      TEXT             NOT NULL,
    model_version   TEXT             NOT NULL,
    cause           TEXT             NOT NULL
                    CHECK (cause IN ('event', 'model_change', 'scheduled', 'initial')),
    cause_event_id  BIGINT,
    recorded_at     TIMESTAMPTZ      NOT NULL
);
CREATE INDEX score_history_company_idx ON score_history (company_id, recorded_at DESC, id DESC);
CREATE TRIGGER score_history_append_only
    BEFORE UPDATE ON score_history
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- A re-scoring round over the watched companies: one per scheduled period (all instances try to
-- create it; the unique index keeps one) or one per new champion model.
CREATE TABLE rescore_rounds (
    id             BIGSERIAL   PRIMARY KEY,
    cause          TEXT        NOT NULL CHECK (cause IN ('scheduled', 'model_change')),
    period_start   TIMESTAMPTZ NOT NULL,
    period_end     TIMESTAMPTZ NOT NULL,
    model_version  TEXT,
    companies      INT         NOT NULL DEFAULT 0,
    created_at     TIMESTAMPTZ NOT NULL,
    completed_at   TIMESTAMPTZ
);
CREATE UNIQUE INDEX rescore_rounds_scheduled_uk ON rescore_rounds (period_start) WHERE cause = 'scheduled';
CREATE UNIQUE INDEX rescore_rounds_model_uk ON rescore_rounds (model_version) WHERE cause = 'model_change';

-- The round's work, cut into ranges of company ids, each due at its moment of the period so a
-- round is spread over it. An instance claims a due chunk with FOR UPDATE SKIP LOCKED and a lease;
-- a chunk whose lease ran out (its instance stopped) is claimed again, so a round resumes.
CREATE TABLE rescore_chunks (
    round_id          BIGINT      NOT NULL REFERENCES rescore_rounds (id) ON DELETE CASCADE,
    seq               INT         NOT NULL,
    first_company_id  BIGINT      NOT NULL,
    last_company_id   BIGINT      NOT NULL,
    due_at            TIMESTAMPTZ NOT NULL,
    claimed_by        TEXT,
    lease_until       TIMESTAMPTZ,
    done_at           TIMESTAMPTZ,
    rescored          INT         NOT NULL DEFAULT 0,
    changed           INT         NOT NULL DEFAULT 0,
    PRIMARY KEY (round_id, seq)
);
CREATE INDEX rescore_chunks_todo_idx ON rescore_chunks (due_at) WHERE done_at IS NULL;
