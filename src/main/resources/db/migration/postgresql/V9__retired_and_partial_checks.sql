-- Issue 17: an issue is resolved only when a run evaluated its check and found it fine.
--  * state 'retired': an open issue of a check no longer in the config leaves the open set so.
--  * issues.carried: an open issue that this run could not evaluate (its check, or the part of it
--    that found the issue, did not run) is copied into the run as open; computing the states again
--    deletes these copies first, as it does the resolved and retired rows, so it stays idempotent.
--  * run_entities.partial_checks: JSON array of the ids of the checks that did not run whole.
--  * issue_counts.retired: retired issues per (entity, check, severity).
ALTER TABLE issues DROP CONSTRAINT IF EXISTS issues_state_check;
ALTER TABLE issues ADD CONSTRAINT issues_state_check
  CHECK (state IN ('new', 'persisting', 'resolved', 'retired'));
ALTER TABLE issues ADD COLUMN carried BOOLEAN NOT NULL DEFAULT FALSE;

ALTER TABLE issue_counts ADD COLUMN retired BIGINT NOT NULL DEFAULT 0;
ALTER TABLE run_entities ADD COLUMN partial_checks TEXT NOT NULL DEFAULT '[]';
