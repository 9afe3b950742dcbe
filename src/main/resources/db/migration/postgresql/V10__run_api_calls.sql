-- Issue 19, goal 4: what a run costs. api_calls: the HTTP requests the run sent to Airtable,
-- retries included (what Airtable's monthly quota counts); NULL for runs from before this version.
-- call_budget: the base's airtable.monthlyCallBudget when the run ran (NULL: no monthly budget), so
-- that `runs show` can put the month's calls against it without the config.
ALTER TABLE runs ADD COLUMN api_calls BIGINT;
ALTER TABLE runs ADD COLUMN call_budget BIGINT;
