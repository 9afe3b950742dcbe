-- The fetch planner (issue 9) reads, per entity, the page count and the per-page latency of the
-- last run that fetched it. Null for rows written before this migration or while not measured.
ALTER TABLE run_entities ADD COLUMN page_latency_ms INTEGER;
