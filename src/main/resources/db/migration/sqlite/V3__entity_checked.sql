-- Issue 8: a run may check some entities and not others (partial results). `checked` says whether
-- this run checked the entity (its issues are stored); `issues` counts its open issues.
ALTER TABLE run_entities ADD COLUMN checked BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE run_entities ADD COLUMN issues INTEGER NOT NULL DEFAULT 0;

-- Before V3 only succeeded runs kept issues, and they checked every entity they covered.
UPDATE run_entities SET checked = 1 WHERE run_id IN (SELECT id FROM runs WHERE status = 'succeeded');
UPDATE run_entities SET issues = (SELECT COUNT(*) FROM issues i WHERE i.run_id = run_entities.run_id
  AND i.entity = run_entities.name AND i.state <> 'resolved') WHERE checked = 1;

-- new/resolved look for the last run that checked an entity.
CREATE INDEX run_entities_checked_idx ON run_entities (name, checked, run_id);
