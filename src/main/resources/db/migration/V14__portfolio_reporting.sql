-- Reporting: the NAF section of a sector code, and one snapshot per portfolio per day, kept
-- after members change (and after the portfolio is deleted), so the book's evolution survives.

-- NAF rev. 2 / NACE rev. 2 section letter of a code such as '25.62A' (division 25 -> 'C').
CREATE FUNCTION naf_section(code TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN d IS NULL THEN NULL
        WHEN d <= 3 THEN 'A'  WHEN d <= 9 THEN 'B'  WHEN d <= 33 THEN 'C' WHEN d = 35 THEN 'D'
        WHEN d <= 39 THEN 'E' WHEN d <= 43 THEN 'F' WHEN d <= 47 THEN 'G' WHEN d <= 53 THEN 'H'
        WHEN d <= 56 THEN 'I' WHEN d <= 63 THEN 'J' WHEN d <= 66 THEN 'K' WHEN d = 68 THEN 'L'
        WHEN d <= 75 THEN 'M' WHEN d <= 82 THEN 'N' WHEN d = 84 THEN 'O' WHEN d = 85 THEN 'P'
        WHEN d <= 88 THEN 'Q' WHEN d <= 93 THEN 'R' WHEN d <= 96 THEN 'S' WHEN d <= 98 THEN 'T'
        WHEN d = 99 THEN 'U'
    END
    FROM (SELECT CASE WHEN code ~ '^[0-9]{2}' THEN substr(code, 1, 2)::int END AS d) x
$$;

CREATE TABLE portfolio_snapshots (
    portfolio_id   UUID           NOT NULL,
    tenant_id      TEXT           NOT NULL,
    as_of          DATE           NOT NULL,
    members        INT            NOT NULL,
    scored         INT            NOT NULL,
    exposure       NUMERIC(20, 2) NOT NULL,
    expected_loss  NUMERIC(20, 2) NOT NULL,
    -- {"low": {"count": n, "exposure": "123.45"}, ...} and the same per grade.
    by_level       JSONB          NOT NULL,
    by_grade       JSONB          NOT NULL,
    taken_at       TIMESTAMPTZ    NOT NULL,
    PRIMARY KEY (portfolio_id, as_of)
);
