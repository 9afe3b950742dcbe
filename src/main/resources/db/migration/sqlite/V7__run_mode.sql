-- Incremental runs (issue 13): each run's mode (full | incremental) and, when a run asked for
-- incremental fell back to a full scan, why; and the field ids and types each entity's mirror was
-- built with, so that a schema change of a checked field makes the next run a full scan.
ALTER TABLE runs ADD COLUMN mode TEXT NOT NULL DEFAULT 'full';
ALTER TABLE runs ADD COLUMN mode_reason TEXT;
ALTER TABLE mirror_entities ADD COLUMN field_schema TEXT;
