-- Integrity Runner store, PostgreSQL dialect. Timestamps are epoch milliseconds (BIGINT), UTC, as
-- on SQLite, so the repositories' SQL is the same for both dialects.

CREATE TABLE runs (
  id                  TEXT    NOT NULL PRIMARY KEY,
  base_id             TEXT    NOT NULL,
  status              TEXT    NOT NULL
    CHECK (status IN ('queued', 'running', 'succeeded', 'error', 'timeout', 'cancelled')),
  trigger_kind        TEXT    NOT NULL CHECK (trigger_kind IN ('manual', 'schedule', 'api')),
  schedule            TEXT,
  entities            TEXT    NOT NULL, -- JSON array of entity names
  created_at          BIGINT  NOT NULL,
  started_at          BIGINT,
  finished_at         BIGINT,
  error               TEXT,
  owner               TEXT,
  heartbeat_at        BIGINT,
  last_progress_at    BIGINT,
  cancel_requested_at BIGINT
);
-- At most one active run per base, across every process and instance sharing this database.
CREATE UNIQUE INDEX runs_one_active_per_base ON runs (base_id) WHERE status IN ('queued', 'running');
CREATE INDEX runs_created_idx ON runs (created_at, id);
CREATE INDEX runs_status_created_idx ON runs (status, created_at);
CREATE INDEX runs_base_created_idx ON runs (base_id, created_at);

CREATE TABLE run_entities (
  run_id      TEXT    NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  name        TEXT    NOT NULL,
  table_name  TEXT    NOT NULL,
  status      TEXT    NOT NULL
    CHECK (status IN ('pending', 'fetching', 'fetched', 'error', 'timeout', 'skipped')),
  records     BIGINT  NOT NULL DEFAULT 0,
  pages       BIGINT  NOT NULL DEFAULT 0,
  duration_ms BIGINT,
  error       TEXT,
  position    BIGINT  NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE INDEX run_entities_name_idx ON run_entities (name, run_id);

CREATE TABLE issues (
  id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id    TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  entity    TEXT NOT NULL,
  record_id TEXT NOT NULL,
  check_id  TEXT NOT NULL,
  field     TEXT NOT NULL DEFAULT '', -- '' = no field, so fingerprints compare with '='
  severity  TEXT NOT NULL CHECK (severity IN ('fail', 'warn')),
  message   TEXT NOT NULL,
  url       TEXT,
  state     TEXT NOT NULL DEFAULT 'new' CHECK (state IN ('new', 'persisting', 'resolved'))
);
CREATE INDEX issues_fingerprint_idx ON issues (run_id, entity, check_id, record_id, field);

CREATE TABLE schedules (
  name       TEXT    NOT NULL PRIMARY KEY,
  base_id    TEXT    NOT NULL,
  cron       TEXT    NOT NULL,
  timezone   TEXT    NOT NULL,
  entities   TEXT    NOT NULL, -- JSON array; empty = all
  enabled    BOOLEAN NOT NULL,
  source     TEXT    NOT NULL CHECK (source IN ('config', 'api')),
  created_at BIGINT  NOT NULL,
  updated_at BIGINT  NOT NULL
);

CREATE TABLE schedule_fires (
  id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  schedule TEXT    NOT NULL,
  base_id  TEXT    NOT NULL,
  fired_at BIGINT  NOT NULL,
  outcome  TEXT    NOT NULL CHECK (outcome IN ('started', 'skipped')),
  run_id   TEXT,
  reason   TEXT
);
CREATE INDEX schedule_fires_schedule_idx ON schedule_fires (schedule, id);

CREATE TABLE alerts (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_key   TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  base_id     TEXT,
  run_id      TEXT,
  schedule    TEXT,
  message     TEXT    NOT NULL,
  state       TEXT    NOT NULL CHECK (state IN ('open', 'resolved')),
  opened_at   BIGINT  NOT NULL,
  resolved_at BIGINT
);
-- One open alert per condition, across processes.
CREATE UNIQUE INDEX alerts_one_open_per_key ON alerts (alert_key) WHERE state = 'open';
CREATE INDEX alerts_opened_idx ON alerts (opened_at, id);

CREATE TABLE alert_deliveries (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id     BIGINT NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  channel      TEXT    NOT NULL,
  ok           BOOLEAN NOT NULL,
  error        TEXT,
  attempted_at BIGINT  NOT NULL
);
CREATE INDEX alert_deliveries_alert_idx ON alert_deliveries (alert_id, id);
