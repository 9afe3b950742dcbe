-- Issue 8: a run may check some entities and not others (partial results). `checked` says whether
-- this run checked the entity (its issues are stored); `issues` counts its open issues.
ALTER TABLE run_entities ADD COLUMN checked BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE run_entities ADD COLUMN issues BIGINT NOT NULL DEFAULT 0;

-- Before V3 only succeeded runs kept issues, and they checked every entity they covered.
UPDATE run_entities SET checked = TRUE WHERE run_id IN (SELECT id FROM runs WHERE status = 'succeeded');
UPDATE run_entities SET issues = (SELECT COUNT(*) FROM issues i WHERE i.run_id = run_entities.run_id
  AND i.entity = run_entities.name AND i.state <> 'resolved') WHERE checked;

-- new/resolved look for the last run that checked an entity.
CREATE INDEX run_entities_checked_idx ON run_entities (name, checked, run_id);
