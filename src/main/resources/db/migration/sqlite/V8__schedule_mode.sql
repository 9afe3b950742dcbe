-- Issue 13: a schedule's runs are full scans or incremental runs; the fire reads the mode stored
-- with the schedule (config and API schedules alike). Existing schedules stay full.
ALTER TABLE schedules ADD COLUMN mode TEXT NOT NULL DEFAULT 'full' CHECK (mode IN ('full', 'incremental'));
