-- Issue 17: an issue is resolved only when a run evaluated its check and found it fine.
--  * state 'retired': an open issue of a check no longer in the config leaves the open set so.
--  * issues.carried: an open issue that this run could not evaluate (its check, or the part of it
--    that found the issue, did not run) is copied into the run as open; computing the states again
--    deletes these copies first, as it does the resolved and retired rows, so it stays idempotent.
--  * run_entities.partial_checks: JSON array of the ids of the checks that did not run whole.
--  * issue_counts.retired: retired issues per (entity, check, severity).

-- SQLite cannot change a CHECK constraint in place: the issues table is rebuilt with the new one.
CREATE TABLE issues_v9 (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id        TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  entity        TEXT    NOT NULL,
  record_id     TEXT    NOT NULL,
  check_id      TEXT    NOT NULL,
  field         TEXT    NOT NULL DEFAULT '', -- '' = no field, so fingerprints compare with '='
  severity      TEXT    NOT NULL CHECK (severity IN ('fail', 'warn')),
  message       TEXT    NOT NULL,
  url           TEXT,
  state         TEXT    NOT NULL DEFAULT 'new'
    CHECK (state IN ('new', 'persisting', 'resolved', 'retired')),
  first_seen_at INTEGER,
  carried       BOOLEAN NOT NULL DEFAULT 0
);
INSERT INTO issues_v9 (id, run_id, entity, record_id, check_id, field, severity, message, url,
  state, first_seen_at)
  SELECT id, run_id, entity, record_id, check_id, field, severity, message, url, state,
    first_seen_at FROM issues ORDER BY id;
DROP TABLE issues;
ALTER TABLE issues_v9 RENAME TO issues;

CREATE INDEX issues_fingerprint_idx ON issues (run_id, entity, check_id, record_id, field);
CREATE INDEX issues_slice_idx ON issues (run_id, entity, check_id, severity, state);
CREATE INDEX issues_run_order_idx ON issues (run_id, id);
CREATE INDEX issues_uncomputed_idx ON issues (run_id, entity, check_id, severity, state)
  WHERE first_seen_at IS NULL;

ALTER TABLE issue_counts ADD COLUMN retired INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_entities ADD COLUMN partial_checks TEXT NOT NULL DEFAULT '[]';
