-- The model registry: every artifact the gateway may serve, which one is the champion and which
-- one runs in shadow. Every instance loads the champion (and the shadow) from here, so a promotion
-- reaches all of them without a restart.
CREATE TABLE models (
    version            TEXT        PRIMARY KEY,
    status             TEXT        NOT NULL CHECK (status IN ('candidate', 'shadow', 'champion', 'retired')),
    sha256             TEXT        NOT NULL,
    artifact           TEXT        NOT NULL,   -- the artifact's JSON, byte for byte
    metrics            JSONB       NOT NULL,   -- cross-validated metrics and validation summary
    report             JSONB,                  -- the full validation report, when registered with it
    registered_at      TIMESTAMPTZ NOT NULL,
    status_changed_at  TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX models_one_champion ON models ((true)) WHERE status = 'champion';
CREATE UNIQUE INDEX models_one_shadow ON models ((true)) WHERE status = 'shadow';

-- Every change of status, append-only: who did it, from what to what, and why.
CREATE TABLE model_changes (
    id           BIGSERIAL   PRIMARY KEY,
    changed_at   TIMESTAMPTZ NOT NULL,
    version      TEXT        NOT NULL REFERENCES models (version),
    from_status  TEXT,
    to_status    TEXT        NOT NULL,
    actor        TEXT        NOT NULL,
    reason       TEXT        NOT NULL
);

CREATE FUNCTION refuse_change() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
CREATE TRIGGER model_changes_append_only
    BEFORE UPDATE OR DELETE ON model_changes
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What the shadow model said beside the champion, one row per evaluation on live traffic. The
-- decision journal keeps the champion's decision only.
CREATE TABLE shadow_scores (
    id                 BIGSERIAL   PRIMARY KEY,
    scored_at          TIMESTAMPTZ NOT NULL,
    country            TEXT        NOT NULL,
    national_id        TEXT        NOT NULL,
    champion_version   TEXT        NOT NULL,
    champion_pd        DOUBLE PRECISION NOT NULL,
    candidate_version  TEXT        NOT NULL,
    candidate_pd       DOUBLE PRECISION NOT NULL
);
CREATE INDEX shadow_scores_candidate_idx ON shadow_scores (candidate_version, scored_at);
