-- Reporting reads one table: each portfolio member carries the facts its figures need (the
-- company's NAF section and division, region, status, latest filed sales, open proceeding and
-- latest payment incident, and its current score), copied at write time by the triggers below,
-- so that an analytics call is one scan of the portfolio's rows instead of a join per member to
-- four other tables.
--
-- The copies follow their sources in the writer's own transaction. A member added while its
-- company is re-scored by another transaction can miss that score (neither transaction sees the
-- other's uncommitted row); the reporting unit's periodic check (reporting.snapshotCheckMs)
-- re-derives any copy that differs from its source (reconcile_portfolio_member_facts).

ALTER TABLE portfolio_members
    ADD COLUMN company_section          TEXT,
    ADD COLUMN company_division         TEXT,
    ADD COLUMN company_region           TEXT,
    ADD COLUMN company_ceased           BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN company_sales            NUMERIC(20, 2),
    ADD COLUMN company_open_proceeding  BOOLEAN NOT NULL DEFAULT false,
    ADD COLUMN company_last_incident_on DATE,
    ADD COLUMN current_score            INT,
    ADD COLUMN current_pd               DOUBLE PRECISION,
    ADD COLUMN current_grade            TEXT,
    ADD COLUMN current_level            TEXT;

-- The NAF division (two digits) of a sector code such as '25.62A'.
CREATE FUNCTION naf_division(code TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN code ~ '^[0-9]{2}' THEN substr(code, 1, 2) END
$$;

-- naf_section (V14) again, as one expression without FROM, so that the planner inlines it
-- instead of running a SQL function per row.
CREATE OR REPLACE FUNCTION naf_section(code TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN code IS NULL OR code !~ '^[0-9]{2}' THEN NULL
        WHEN substr(code, 1, 2)::int <= 3 THEN 'A'  WHEN substr(code, 1, 2)::int <= 9 THEN 'B'
        WHEN substr(code, 1, 2)::int <= 33 THEN 'C' WHEN substr(code, 1, 2)::int = 35 THEN 'D'
        WHEN substr(code, 1, 2)::int <= 39 THEN 'E' WHEN substr(code, 1, 2)::int <= 43 THEN 'F'
        WHEN substr(code, 1, 2)::int <= 47 THEN 'G' WHEN substr(code, 1, 2)::int <= 53 THEN 'H'
        WHEN substr(code, 1, 2)::int <= 56 THEN 'I' WHEN substr(code, 1, 2)::int <= 63 THEN 'J'
        WHEN substr(code, 1, 2)::int <= 66 THEN 'K' WHEN substr(code, 1, 2)::int = 68 THEN 'L'
        WHEN substr(code, 1, 2)::int <= 75 THEN 'M' WHEN substr(code, 1, 2)::int <= 82 THEN 'N'
        WHEN substr(code, 1, 2)::int = 84 THEN 'O'  WHEN substr(code, 1, 2)::int = 85 THEN 'P'
        WHEN substr(code, 1, 2)::int <= 88 THEN 'Q' WHEN substr(code, 1, 2)::int <= 93 THEN 'R'
        WHEN substr(code, 1, 2)::int <= 96 THEN 'S' WHEN substr(code, 1, 2)::int <= 98 THEN 'T'
        WHEN substr(code, 1, 2)::int = 99 THEN 'U'
    END
$$;

-- Each copied fact of company $1, as the sources hold it now. PL/pgSQL, not SQL: its plans are
-- cached per session, where a SQL function called from a trigger is planned at every call.
CREATE FUNCTION company_member_facts(company BIGINT,
    OUT section TEXT, OUT division TEXT, OUT region TEXT, OUT ceased BOOLEAN, OUT sales NUMERIC,
    OUT open_proceeding BOOLEAN, OUT last_incident_on DATE,
    OUT score INT, OUT pd DOUBLE PRECISION, OUT grade TEXT, OUT risk_level TEXT)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT naf_section(c.sector), naf_division(c.sector), c.region, c.status = 'ceased'
      INTO section, division, region, ceased
      FROM companies c WHERE c.id = company;
    SELECT s.score, s.pd, s.grade, s.risk_level INTO score, pd, grade, risk_level
      FROM company_scores s WHERE s.company_id = company;
    SELECT fs.sales INTO sales FROM financial_statements fs WHERE fs.company_id = company
     ORDER BY fs.fiscal_year DESC LIMIT 1;
    open_proceeding := EXISTS (SELECT 1 FROM company_events e WHERE e.company_id = company
                               AND e.kind = 'insolvency_proceeding' AND e.closed_on IS NULL);
    SELECT max(e.occurred_on) INTO last_incident_on FROM company_events e
     WHERE e.company_id = company AND e.kind = 'payment_incident';
    ceased := coalesce(ceased, false);
END
$$;

-- A new member (or one moved to another company) takes its company's facts.
CREATE FUNCTION portfolio_member_take_facts() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    f RECORD;
BEGIN
    f := company_member_facts(NEW.company_id);
    NEW.company_section := f.section;
    NEW.company_division := f.division;
    NEW.company_region := f.region;
    NEW.company_ceased := f.ceased;
    NEW.company_sales := f.sales;
    NEW.company_open_proceeding := f.open_proceeding;
    NEW.company_last_incident_on := f.last_incident_on;
    NEW.current_score := f.score;
    NEW.current_pd := f.pd;
    NEW.current_grade := f.grade;
    NEW.current_level := f.risk_level;
    RETURN NEW;
END
$$;
CREATE TRIGGER portfolio_member_take_facts
    BEFORE INSERT OR UPDATE OF company_id ON portfolio_members
    FOR EACH ROW EXECUTE FUNCTION portfolio_member_take_facts();

-- Copies company $1's facts to every member that holds it, writing only the rows that differ.
CREATE FUNCTION portfolio_members_refresh_company(company BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    f RECORD;
BEGIN
    -- Nothing to read for a company no portfolio holds (the common case).
    IF NOT EXISTS (SELECT 1 FROM portfolio_members WHERE company_id = company) THEN
        RETURN;
    END IF;
    f := company_member_facts(company);
    UPDATE portfolio_members pm SET
        company_section = f.section, company_division = f.division, company_region = f.region,
        company_ceased = f.ceased, company_sales = f.sales,
        company_open_proceeding = f.open_proceeding, company_last_incident_on = f.last_incident_on,
        current_score = f.score, current_pd = f.pd, current_grade = f.grade,
        current_level = f.risk_level
    WHERE pm.company_id = company
      AND (pm.company_section, pm.company_division, pm.company_region, pm.company_ceased,
           pm.company_sales, pm.company_open_proceeding, pm.company_last_incident_on,
           pm.current_score, pm.current_pd, pm.current_grade, pm.current_level)
          IS DISTINCT FROM
          (f.section, f.division, f.region, f.ceased, f.sales, f.open_proceeding,
           f.last_incident_on, f.score, f.pd, f.grade, f.risk_level);
END
$$;

-- A score written, changed or removed: the members of that company follow. The common case (a
-- company held by no portfolio) costs one probe of portfolio_members_company_idx.
CREATE FUNCTION company_score_to_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE portfolio_members SET current_score = NULL, current_pd = NULL,
                                     current_grade = NULL, current_level = NULL
         WHERE company_id = OLD.company_id;
        RETURN NULL;
    END IF;
    UPDATE portfolio_members SET current_score = NEW.score, current_pd = NEW.pd,
                                 current_grade = NEW.grade, current_level = NEW.risk_level
     WHERE company_id = NEW.company_id
       AND (current_score, current_pd, current_grade, current_level)
           IS DISTINCT FROM (NEW.score, NEW.pd, NEW.grade, NEW.risk_level);
    RETURN NULL;
END
$$;
CREATE TRIGGER company_score_to_members
    AFTER INSERT OR DELETE OR UPDATE OF score, pd, grade, risk_level ON company_scores
    FOR EACH ROW EXECUTE FUNCTION company_score_to_members();

-- A company's sector, region or status, a filed statement, an event: the members follow.
CREATE FUNCTION company_fact_to_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'companies' THEN
        PERFORM portfolio_members_refresh_company(NEW.id);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM portfolio_members_refresh_company(OLD.company_id);
    ELSE
        PERFORM portfolio_members_refresh_company(NEW.company_id);
        IF TG_OP = 'UPDATE' AND OLD.company_id <> NEW.company_id THEN
            PERFORM portfolio_members_refresh_company(OLD.company_id);
        END IF;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER company_fact_to_members
    AFTER UPDATE OF sector, region, status ON companies
    FOR EACH ROW EXECUTE FUNCTION company_fact_to_members();
CREATE TRIGGER company_fact_to_members
    AFTER INSERT OR DELETE OR UPDATE OF company_id, fiscal_year, sales ON financial_statements
    FOR EACH ROW EXECUTE FUNCTION company_fact_to_members();
CREATE TRIGGER company_fact_to_members
    AFTER INSERT OR DELETE OR UPDATE OF company_id, kind, occurred_on, closed_on ON company_events
    FOR EACH ROW EXECUTE FUNCTION company_fact_to_members();

-- Re-derives every copy that differs from its source (the concurrent-writers case above); the
-- number of members rewritten.
CREATE FUNCTION reconcile_portfolio_member_facts() RETURNS BIGINT
LANGUAGE sql AS $$
    WITH fixed AS (
        UPDATE portfolio_members pm SET
            company_section = f.section, company_division = f.division,
            company_region = f.region, company_ceased = f.ceased, company_sales = f.sales,
            company_open_proceeding = f.open_proceeding,
            company_last_incident_on = f.last_incident_on,
            current_score = f.score, current_pd = f.pd, current_grade = f.grade,
            current_level = f.risk_level
        FROM (
            SELECT c.id, naf_section(c.sector) AS section, naf_division(c.sector) AS division,
                   c.region, c.status = 'ceased' AS ceased, fs.sales,
                   coalesce(ev.open_proceeding, false) AS open_proceeding, ev.last_incident_on,
                   s.score, s.pd, s.grade, s.risk_level
            FROM companies c
            LEFT JOIN company_scores s ON s.company_id = c.id
            LEFT JOIN (SELECT DISTINCT ON (company_id) company_id, sales
                       FROM financial_statements ORDER BY company_id, fiscal_year DESC) fs
                   ON fs.company_id = c.id
            LEFT JOIN (SELECT company_id,
                              bool_or(kind = 'insolvency_proceeding' AND closed_on IS NULL)
                                AS open_proceeding,
                              max(occurred_on) FILTER (WHERE kind = 'payment_incident')
                                AS last_incident_on
                       FROM company_events GROUP BY company_id) ev ON ev.company_id = c.id
            WHERE c.id IN (SELECT company_id FROM portfolio_members)) f
        WHERE pm.company_id = f.id
          AND (pm.company_section, pm.company_division, pm.company_region, pm.company_ceased,
               pm.company_sales, pm.company_open_proceeding, pm.company_last_incident_on,
               pm.current_score, pm.current_pd, pm.current_grade, pm.current_level)
              IS DISTINCT FROM
              (f.section, f.division, f.region, f.ceased, f.sales, f.open_proceeding,
               f.last_incident_on, f.score, f.pd, f.grade, f.risk_level)
        RETURNING 1)
    SELECT count(*) FROM fixed
$$;

SELECT reconcile_portfolio_member_facts();

-- The members of each portfolio added up per cell (risk level, grade, NAF section and division,
-- region): count, exposure and the sum of exposure x PD. Summary, distribution, concentration
-- and the daily snapshots read these few rows instead of the members. Writers never update a
-- cell: each statement on portfolio_members appends its net change as new rows (no lock, no
-- waiting between writers), and compact_portfolio_cells folds a portfolio's rows into one per
-- cell; a reader adds up whatever rows are there.
CREATE TABLE portfolio_cells (
    portfolio_id  UUID    NOT NULL,
    risk_level    TEXT,
    grade         TEXT,
    section       TEXT,
    division      TEXT,
    region        TEXT,
    members       BIGINT  NOT NULL,
    exposure      NUMERIC NOT NULL,
    -- sum of exposure x PD over the scored members (0 for the unscored cell)
    pd_exposure   NUMERIC NOT NULL
);
CREATE INDEX portfolio_cells_portfolio_idx ON portfolio_cells (portfolio_id);

CREATE FUNCTION portfolio_cells_add() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO portfolio_cells
        SELECT portfolio_id, current_level, current_grade, company_section, company_division,
               company_region, count(*), sum(exposure),
               coalesce(sum(exposure * current_pd::numeric), 0)
        FROM new_members GROUP BY 1, 2, 3, 4, 5, 6;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO portfolio_cells
        SELECT portfolio_id, current_level, current_grade, company_section, company_division,
               company_region, -count(*), -sum(exposure),
               -coalesce(sum(exposure * current_pd::numeric), 0)
        FROM old_members GROUP BY 1, 2, 3, 4, 5, 6;
    ELSE
        -- The old rows out, the new rows in; a cell whose net change is nil gets no row (an
        -- update that moved no figure writes nothing).
        INSERT INTO portfolio_cells
        SELECT portfolio_id, risk_level, grade, section, division, region,
               sum(n), sum(e), sum(pe)
        FROM (SELECT portfolio_id, current_level AS risk_level, current_grade AS grade,
                     company_section AS section, company_division AS division,
                     company_region AS region, -1 AS n, -exposure AS e,
                     -coalesce(exposure * current_pd::numeric, 0) AS pe
              FROM old_members
              UNION ALL
              SELECT portfolio_id, current_level, current_grade, company_section,
                     company_division, company_region, 1, exposure,
                     coalesce(exposure * current_pd::numeric, 0)
              FROM new_members) x
        GROUP BY 1, 2, 3, 4, 5, 6
        HAVING sum(n) <> 0 OR sum(e) <> 0 OR sum(pe) <> 0;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER portfolio_cells_insert AFTER INSERT ON portfolio_members
    REFERENCING NEW TABLE AS new_members
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_cells_add();
CREATE TRIGGER portfolio_cells_update AFTER UPDATE ON portfolio_members
    REFERENCING OLD TABLE AS old_members NEW TABLE AS new_members
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_cells_add();
CREATE TRIGGER portfolio_cells_delete AFTER DELETE ON portfolio_members
    REFERENCING OLD TABLE AS old_members
    FOR EACH STATEMENT EXECUTE FUNCTION portfolio_cells_add();

-- Folds the rows of portfolio $1 into one per non-empty cell. Safe beside writers (their rows,
-- not yet visible, stay) and beside another compaction (a row deleted by the other is skipped,
-- so it is counted once).
CREATE FUNCTION compact_portfolio_cells(portfolio UUID) RETURNS void
LANGUAGE sql AS $$
    WITH gone AS (DELETE FROM portfolio_cells WHERE portfolio_id = portfolio RETURNING *)
    INSERT INTO portfolio_cells
    SELECT portfolio_id, risk_level, grade, section, division, region,
           sum(members), sum(exposure), sum(pd_exposure)
    FROM gone GROUP BY 1, 2, 3, 4, 5, 6
    HAVING sum(members) <> 0 OR sum(exposure) <> 0 OR sum(pd_exposure) <> 0
$$;

INSERT INTO portfolio_cells
SELECT portfolio_id, current_level, current_grade, company_section, company_division,
       company_region, count(*), sum(exposure), coalesce(sum(exposure * current_pd::numeric), 0)
FROM portfolio_members GROUP BY 1, 2, 3, 4, 5, 6;

-- The largest exposures of a portfolio, read from the top of an index instead of a sort.
CREATE INDEX portfolio_members_exposure_idx
    ON portfolio_members (portfolio_id, exposure DESC, company_id);
