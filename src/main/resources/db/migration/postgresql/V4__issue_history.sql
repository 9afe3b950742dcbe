-- Issue history (issue 12): when each issue's unbroken series of runs began, and per-run counts per
-- (entity, check, severity) so the run page's summary and 30-run sparklines read a few rows per run
-- instead of scanning every issue of every run.

-- Epoch milliseconds; null until the run's states are computed (readers fall back to the run's start).
ALTER TABLE issues ADD COLUMN first_seen_at BIGINT;

-- Serves the summary (GROUP BY entity, check_id, severity, state) and the filters from the index alone.
CREATE INDEX issues_slice_idx ON issues (run_id, entity, check_id, severity, state);
-- A page of a run's issues in written order reads its rows in order and stops, instead of sorting.
CREATE INDEX issues_run_order_idx ON issues (run_id, id);
-- Issues whose states are not computed yet (a run still going): the only ones counted one by one.
CREATE INDEX issues_uncomputed_idx ON issues (run_id, entity, check_id, severity, state)
  WHERE first_seen_at IS NULL;

CREATE TABLE issue_counts (
  run_id     TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  entity     TEXT    NOT NULL,
  check_id   TEXT    NOT NULL,
  severity   TEXT    NOT NULL,
  open_count BIGINT  NOT NULL,
  new_count  BIGINT  NOT NULL,
  persisting BIGINT  NOT NULL,
  resolved   BIGINT  NOT NULL,
  PRIMARY KEY (run_id, entity, check_id, severity)
);
CREATE INDEX issue_counts_check_idx ON issue_counts (entity, check_id, run_id);
