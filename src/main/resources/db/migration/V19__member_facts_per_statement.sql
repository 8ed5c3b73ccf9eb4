-- The members' copies of their companies' facts (V16) follow their sources once per statement
-- instead of once per row. A transaction that applies 100 facts writes its events, statuses and
-- scores in one statement each; with V16's row triggers every one of those rows refreshed its
-- company's members on its own (three refreshes per fact, each a plan, a read of five tables and
-- an update whose own statement trigger appended to portfolio_cells). Here each statement hands
-- the companies it touched, read from its transition tables, to one set-based refresh, and a fact
-- that no copy reads (a status change's event row, filed accounts' event row) refreshes nothing.
--
-- What the copies hold, and when they are written, stays as V16 says: in the writer's own
-- transaction, at the end of its statement; a row is rewritten only when one of its copies
-- differs. Transition tables cannot be declared for several events or for a column list, hence
-- one trigger per event, each comparing what it needs.

DROP TRIGGER company_score_to_members ON company_scores;
DROP TRIGGER company_fact_to_members ON companies;
DROP TRIGGER company_fact_to_members ON financial_statements;
DROP TRIGGER company_fact_to_members ON company_events;
DROP FUNCTION company_score_to_members();
DROP FUNCTION company_fact_to_members();
DROP FUNCTION portfolio_members_refresh_company(BIGINT);

-- Copies the facts of the companies $1 to every member that holds one of them, writing only the
-- rows that differ. A company no portfolio holds (the common case) costs one index probe.
CREATE FUNCTION portfolio_members_refresh_companies(companies BIGINT[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portfolio_members pm SET
        company_section = f.section, company_division = f.division, company_region = f.region,
        company_ceased = f.ceased, company_sales = f.sales,
        company_open_proceeding = f.open_proceeding, company_last_incident_on = f.last_incident_on,
        current_score = f.score, current_pd = f.pd, current_grade = f.grade,
        current_level = f.risk_level
    FROM (
        SELECT c.id, naf_section(c.sector) AS section, naf_division(c.sector) AS division,
               c.region, c.status = 'ceased' AS ceased, fs.sales,
               coalesce(ev.open_proceeding, false) AS open_proceeding, ev.last_incident_on,
               s.score, s.pd, s.grade, s.risk_level
        FROM companies c
        LEFT JOIN company_scores s ON s.company_id = c.id
        LEFT JOIN LATERAL (SELECT sales FROM financial_statements
                           WHERE company_id = c.id ORDER BY fiscal_year DESC LIMIT 1) fs ON true
        LEFT JOIN LATERAL (SELECT bool_or(kind = 'insolvency_proceeding' AND closed_on IS NULL)
                                    AS open_proceeding,
                                  max(occurred_on) FILTER (WHERE kind = 'payment_incident')
                                    AS last_incident_on
                           FROM company_events WHERE company_id = c.id) ev ON true
        WHERE c.id IN (SELECT company_id FROM portfolio_members
                       WHERE company_id = ANY (companies))) f
    WHERE pm.company_id = f.id
      AND (pm.company_section, pm.company_division, pm.company_region, pm.company_ceased,
           pm.company_sales, pm.company_open_proceeding, pm.company_last_incident_on,
           pm.current_score, pm.current_pd, pm.current_grade, pm.current_level)
          IS DISTINCT FROM
          (f.section, f.division, f.region, f.ceased, f.sales, f.open_proceeding,
           f.last_incident_on, f.score, f.pd, f.grade, f.risk_level);
END
$$;

-- Scores written or changed: the members take them from the statement's new rows (an upsert
-- fires both the insert and the update trigger, each with its own rows).
CREATE FUNCTION company_scores_to_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portfolio_members pm SET current_score = n.score, current_pd = n.pd,
                                    current_grade = n.grade, current_level = n.risk_level
      FROM new_scores n
     WHERE pm.company_id = n.company_id
       AND (pm.current_score, pm.current_pd, pm.current_grade, pm.current_level)
           IS DISTINCT FROM (n.score, n.pd, n.grade, n.risk_level);
    RETURN NULL;
END
$$;
CREATE TRIGGER company_scores_to_members_insert AFTER INSERT ON company_scores
    REFERENCING NEW TABLE AS new_scores
    FOR EACH STATEMENT EXECUTE FUNCTION company_scores_to_members();
CREATE TRIGGER company_scores_to_members_update AFTER UPDATE ON company_scores
    REFERENCING NEW TABLE AS new_scores
    FOR EACH STATEMENT EXECUTE FUNCTION company_scores_to_members();

CREATE FUNCTION company_scores_gone_from_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE portfolio_members pm SET current_score = NULL, current_pd = NULL,
                                    current_grade = NULL, current_level = NULL
      FROM old_scores o
     WHERE pm.company_id = o.company_id AND pm.current_score IS NOT NULL;
    RETURN NULL;
END
$$;
CREATE TRIGGER company_scores_to_members_delete AFTER DELETE ON company_scores
    REFERENCING OLD TABLE AS old_scores
    FOR EACH STATEMENT EXECUTE FUNCTION company_scores_gone_from_members();

-- A company's sector, region or status changed.
CREATE FUNCTION companies_to_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM portfolio_members_refresh_companies(ARRAY(
        SELECT n.id FROM new_companies n JOIN old_companies o ON o.id = n.id
         WHERE (n.sector, n.region, n.status) IS DISTINCT FROM (o.sector, o.region, o.status)));
    RETURN NULL;
END
$$;
CREATE TRIGGER companies_to_members AFTER UPDATE ON companies
    REFERENCING OLD TABLE AS old_companies NEW TABLE AS new_companies
    FOR EACH STATEMENT EXECUTE FUNCTION companies_to_members();

-- Statements filed, changed or removed: the latest sales may have moved.
CREATE FUNCTION statements_to_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM portfolio_members_refresh_companies(ARRAY(
            SELECT DISTINCT company_id FROM new_statements));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM portfolio_members_refresh_companies(ARRAY(
            SELECT DISTINCT company_id FROM old_statements));
    ELSE
        PERFORM portfolio_members_refresh_companies(ARRAY(
            SELECT company_id FROM new_statements UNION SELECT company_id FROM old_statements));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER statements_to_members_insert AFTER INSERT ON financial_statements
    REFERENCING NEW TABLE AS new_statements
    FOR EACH STATEMENT EXECUTE FUNCTION statements_to_members();
CREATE TRIGGER statements_to_members_update AFTER UPDATE ON financial_statements
    REFERENCING OLD TABLE AS old_statements NEW TABLE AS new_statements
    FOR EACH STATEMENT EXECUTE FUNCTION statements_to_members();
CREATE TRIGGER statements_to_members_delete AFTER DELETE ON financial_statements
    REFERENCING OLD TABLE AS old_statements
    FOR EACH STATEMENT EXECUTE FUNCTION statements_to_members();

-- Events: only proceedings (open or closed) and payment incidents are copied, so the other kinds
-- refresh nothing.
CREATE FUNCTION events_to_members() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM portfolio_members_refresh_companies(ARRAY(
            SELECT DISTINCT company_id FROM new_events
             WHERE kind IN ('insolvency_proceeding', 'payment_incident')));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM portfolio_members_refresh_companies(ARRAY(
            SELECT DISTINCT company_id FROM old_events
             WHERE kind IN ('insolvency_proceeding', 'payment_incident')));
    ELSE
        PERFORM portfolio_members_refresh_companies(ARRAY(
            SELECT company_id FROM new_events
             WHERE kind IN ('insolvency_proceeding', 'payment_incident')
            UNION
            SELECT company_id FROM old_events
             WHERE kind IN ('insolvency_proceeding', 'payment_incident')));
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER events_to_members_insert AFTER INSERT ON company_events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION events_to_members();
CREATE TRIGGER events_to_members_update AFTER UPDATE ON company_events
    REFERENCING OLD TABLE AS old_events NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION events_to_members();
CREATE TRIGGER events_to_members_delete AFTER DELETE ON company_events
    REFERENCING OLD TABLE AS old_events
    FOR EACH STATEMENT EXECUTE FUNCTION events_to_members();
