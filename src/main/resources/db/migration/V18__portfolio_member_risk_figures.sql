-- Each member's regulatory figures that do not depend on the day, computed by the gateway (the
-- Basel formula needs the normal distribution, which Postgres lacks) and kept on the member row,
-- so that the regulatory totals of a portfolio are sums in SQL instead of every member streamed
-- to the gateway. The figures hold for the configuration they were computed under (risk_basis: a
-- hash of the LGDs, the IFRS 9 thresholds and term, the Basel parameters) and for the member's
-- inputs at that time; a change of any input marks the row stale (risk_basis NULL, trigger
-- below), a change of configuration makes every row's basis differ. Stale rows are summed by the
-- gateway's per-member path until its periodic refresh (reporting.riskRefreshMs) writes them
-- anew.
ALTER TABLE portfolio_members
    ADD COLUMN risk_basis    BIGINT,
    -- EAD as a double, the exposure the figures below were computed from
    ADD COLUMN risk_ead      DOUBLE PRECISION,
    -- LGD x EAD
    ADD COLUMN risk_loss     DOUBLE PRECISION,
    -- PD over the remaining term x LGD x EAD (IFRS 9 lifetime ECL)
    ADD COLUMN risk_ecl_term DOUBLE PRECISION,
    -- PD over the shorter of 12 months and the remaining term x LGD x EAD (IFRS 9 stage 1)
    ADD COLUMN risk_ecl_year DOUBLE PRECISION,
    -- Basel III F-IRB RWA at the member's PD (a member in default has none)
    ADD COLUMN risk_rwa      DOUBLE PRECISION,
    -- a significant increase in credit risk since origination (IFRS 9 stage 2)
    ADD COLUMN risk_sicr     BOOLEAN;

CREATE FUNCTION portfolio_member_risk_stale() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.risk_basis := NULL;
    RETURN NEW;
END
$$;
-- After portfolio_member_take_facts (triggers of one event fire in name order), so a member moved
-- to another company is compared with that company's facts. The WHEN clause keeps the common
-- update (nothing the figures read changed) free of any function call.
CREATE TRIGGER portfolio_members_risk_stale
    BEFORE UPDATE ON portfolio_members
    FOR EACH ROW
    WHEN (OLD.risk_basis IS NOT NULL
          AND (OLD.current_pd, OLD.company_sales, OLD.company_section, OLD.exposure,
               OLD.payment_terms_days, OLD.origination_pd)
              IS DISTINCT FROM
              (NEW.current_pd, NEW.company_sales, NEW.company_section, NEW.exposure,
               NEW.payment_terms_days, NEW.origination_pd))
    EXECUTE FUNCTION portfolio_member_risk_stale();
