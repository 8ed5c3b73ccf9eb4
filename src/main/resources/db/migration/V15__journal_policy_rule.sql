-- The id of the tenant rule that decided (policy_rule of the answer), kept with the decision so
-- that the journal reads back the answer as given. NULL for rows written before tenant policies.
-- Adding a nullable column rewrites nothing, whatever the journal's size.
ALTER TABLE decision_journal ADD COLUMN policy_rule TEXT;
