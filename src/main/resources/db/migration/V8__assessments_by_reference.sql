-- A decision writes what is new, not what is known. Each assessment of a company (the company,
-- every feature value and event used, the model version, score, PD, grade and reasons) is stored
-- once, immutable, under the SHA-256 of its canonical bytes; decisions reference that hash and keep
-- only their own values (what was asked, the outcome, the policy's reason codes), a row of a few
-- hundred bytes instead of a ~4 KB record.
CREATE TABLE assessments (
    hash           BYTEA            PRIMARY KEY CHECK (length(hash) = 32),  -- SHA-256 of body
    country        TEXT             NOT NULL,
    national_id    TEXT             NOT NULL,
    model_version  TEXT             NOT NULL,
    score          INT,
    pd             DOUBLE PRECISION,
    grade          TEXT,
    risk_level     TEXT,
    data_as_of     DATE,
    -- The canonical bytes (UTF-8 JSON) that were hashed: the assessment itself. The columns above
    -- repeat some of its members for queries; `journal verify` checks them against it.
    body           TEXT             NOT NULL,
    recorded_at    TIMESTAMPTZ      NOT NULL
);
ALTER TABLE assessments ALTER COLUMN body SET COMPRESSION lz4;
CREATE INDEX assessments_company_idx ON assessments (country, national_id, recorded_at);

CREATE TRIGGER assessments_append_only
    BEFORE UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Rows written from now on hold no record: their assessment by hash, then the decision's own
-- values. Rows written before keep their record as it is (still verified by the same chain
-- hash, still read as they were): adding nullable columns and dropping a NOT NULL rewrite nothing,
-- whatever the journal's size. No foreign key: it would lock the referenced assessment on every
-- insert; `journal verify` checks that every reference resolves.
ALTER TABLE decision_journal ALTER COLUMN record DROP NOT NULL;
ALTER TABLE decision_journal
    ADD COLUMN assessment_hash   BYTEA,
    ADD COLUMN recommendation    TEXT,
    ADD COLUMN max_amount        BIGINT,
    ADD COLUMN max_payment_term  INT,
    ADD COLUMN amount            DOUBLE PRECISION,
    ADD COLUMN payment_term      INT,
    ADD COLUMN policy_reasons    TEXT[],
    ADD COLUMN scored_at         TIMESTAMPTZ;
