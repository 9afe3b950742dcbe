-- Issue 22, triage: acknowledgements. An acknowledgement covers the issues of one check on one entity
-- (record_id NULL) or of one record (and one field when field is not NULL), of one base (base_id
-- NULL: of any base with that entity). It is in force while ended_at is NULL and until_at (epoch
-- millis) has not passed; it ends (ended_at, end_reason 'resolved' or 'revoked') when what it covers
-- resolves or someone revokes it. Rows are kept so the dashboard can say why an issue was quiet.
CREATE TABLE acks (
  id         TEXT    PRIMARY KEY,
  base_id    TEXT,
  entity     TEXT    NOT NULL,
  check_id   TEXT    NOT NULL,
  record_id  TEXT,
  field      TEXT,
  reason     TEXT    NOT NULL,
  created_by TEXT,
  until_at   BIGINT,
  created_at BIGINT  NOT NULL,
  ended_at   BIGINT,
  end_reason TEXT    CHECK (end_reason IS NULL OR end_reason IN ('resolved', 'revoked'))
);
-- Finds the acknowledgements of one issue: by record (an index lookup), then check-wide (record_id NULL).
CREATE INDEX acks_target_idx ON acks (entity, check_id, record_id);

-- The acknowledgement in force over an open issue when its run's states were computed (or when the
-- acknowledgement was made or revoked, for the latest run that checked the entity); NULL: none.
ALTER TABLE issues ADD COLUMN ack_id TEXT;
-- An open issue that was acknowledged in the previous run and is not any more (its acknowledgement's
-- end date passed): it alerts again as if new.
ALTER TABLE issues ADD COLUMN reopened BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX issues_ack_idx ON issues (ack_id) WHERE ack_id IS NOT NULL;

-- Per (run, entity, check, severity): open issues acknowledged, and open unacknowledged issues that
-- alert (new, or reopened).
ALTER TABLE issue_counts ADD COLUMN acknowledged BIGINT NOT NULL DEFAULT 0;
ALTER TABLE issue_counts ADD COLUMN alerting BIGINT NOT NULL DEFAULT 0;
