-- Issue 22, item 3: a condition that stays open re-notifies at most once per alerts.repeatAfter.
-- notified_at: when the open alert was last delivered (opened or repeated); NULL means at
-- opened_at (alerts from before this version, and alerts never repeated).
ALTER TABLE alerts ADD COLUMN notified_at INTEGER;
