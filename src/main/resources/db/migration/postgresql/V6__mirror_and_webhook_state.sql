-- Incremental runs (issue 13): per base, a mirror of the checked fields of every record of every
-- entity, and the base's webhook with its expiry and cursor. Timestamps are epoch milliseconds.

-- One row per mirrored entity: which table and fields the mirror holds, and when a full run last
-- rebuilt it (an entity without a row has no mirror yet).
CREATE TABLE mirror_entities (
  base_id      TEXT    NOT NULL,
  entity       TEXT    NOT NULL,
  table_name   TEXT    NOT NULL,
  fields       TEXT    NOT NULL, -- JSON array of the field names the mirror keeps
  refreshed_at BIGINT NOT NULL,
  PRIMARY KEY (base_id, entity)
);

-- The mirrored records: the checked values by field name, as a JSON object.
CREATE TABLE mirror_records (
  base_id   TEXT NOT NULL,
  entity    TEXT NOT NULL,
  record_id TEXT NOT NULL,
  fields    TEXT NOT NULL,
  PRIMARY KEY (base_id, entity, record_id),
  FOREIGN KEY (base_id, entity) REFERENCES mirror_entities (base_id, entity) ON DELETE CASCADE
);

-- The base's webhook; the cursor is the next payload to read, stored only after the run that
-- applied the payloads before it was saved.
CREATE TABLE webhook_state (
  base_id    TEXT    NOT NULL PRIMARY KEY,
  webhook_id TEXT    NOT NULL,
  expires_at BIGINT,
  next_cursor BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
