-- What a decision's policy saw that its assessment does not hold, kept with the decision so that a
-- simulation replays exactly the inputs it had: the tenant's exposure to the company when the
-- policy read it (NULL when it read none), and the platform amount cap in force (policy.maxAmountCap),
-- which the GUARDRAIL_AMOUNT_CAP text names. Both are covered by the chain hash of format
-- decision-by-reference/3. NULL in rows written before. Adding nullable columns rewrites nothing,
-- whatever the journal's size.
ALTER TABLE decision_journal
    ADD COLUMN exposure   DOUBLE PRECISION,
    ADD COLUMN amount_cap DOUBLE PRECISION;
