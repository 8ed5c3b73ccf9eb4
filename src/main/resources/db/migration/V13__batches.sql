-- Batch scoring: a job per submission, its input lines, the chunks workers claim, one result per
-- line. Workers on every instance claim chunks with FOR UPDATE SKIP LOCKED and a lease; a chunk's
-- results, its "done" mark and the batch's counters commit in one transaction, and the primary
-- key (batch_id, line) of batch_results keeps each line's result unique.
CREATE TABLE batches (
    id              UUID        PRIMARY KEY,
    tenant_id       TEXT        NOT NULL,
    mode            TEXT        NOT NULL CHECK (mode IN ('score', 'decision')),
    source          TEXT        NOT NULL CHECK (source IN ('json', 'csv', 'ndjson', 'portfolio')),
    portfolio_id    UUID,
    status          TEXT        NOT NULL
                    CHECK (status IN ('validating', 'queued', 'running', 'completed', 'failed', 'cancelled')),
    total           INT         NOT NULL DEFAULT 0,   -- input lines
    invalid         INT         NOT NULL DEFAULT 0,   -- lines refused at validation (bad identifier...)
    succeeded       INT         NOT NULL DEFAULT 0,   -- lines with a score or decision
    failed          INT         NOT NULL DEFAULT 0,   -- lines with an error result (invalid included)
    chunks          INT         NOT NULL DEFAULT 0,
    quota_charged   BIGINT      NOT NULL DEFAULT 0,   -- calls counted against the monthly quota
    request_id      TEXT,
    error           TEXT,                             -- why a batch failed
    created_at      TIMESTAMPTZ NOT NULL,
    queued_at       TIMESTAMPTZ,
    started_at      TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,                      -- completed, failed or cancelled
    expires_at      TIMESTAMPTZ,                      -- results are purged after this
    purged_at       TIMESTAMPTZ
);
CREATE INDEX batches_tenant_idx ON batches (tenant_id, created_at DESC, id DESC);
CREATE INDEX batches_expiry_idx ON batches (expires_at) WHERE purged_at IS NULL;

-- Input lines, validated: the company (country + national id, or an LEI to resolve), the amount
-- and term in decision mode, or the per-line error found at validation.
CREATE TABLE batch_items (
    batch_id        UUID             NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    line            INT              NOT NULL,        -- 1-based, in input order
    reference       TEXT,
    country         TEXT,
    national_id     TEXT,
    lei             TEXT,
    amount          DOUBLE PRECISION,
    payment_term    INT,
    error           TEXT,                             -- JSON {code, field, message}
    PRIMARY KEY (batch_id, line)
);

CREATE TABLE batch_chunks (
    batch_id        UUID        NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    chunk           INT         NOT NULL,
    first_line      INT         NOT NULL,
    last_line       INT         NOT NULL,
    status          TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done')),
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    attempts        INT         NOT NULL DEFAULT 0,
    done_by         TEXT,
    done_at         TIMESTAMPTZ,
    PRIMARY KEY (batch_id, chunk)
);
CREATE INDEX batch_chunks_pending_idx ON batch_chunks (batch_id, chunk) WHERE status = 'pending';

CREATE TABLE batch_results (
    batch_id        UUID        NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    line            INT         NOT NULL,
    reference       TEXT,
    ok              BOOLEAN     NOT NULL,
    result          TEXT        NOT NULL,             -- JSON: the real-time API's answer, or the error
    PRIMARY KEY (batch_id, line)
);
