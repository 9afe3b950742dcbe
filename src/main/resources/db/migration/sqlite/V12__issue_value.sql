-- Issue 21, item 9: the offending value whole, as text, in its own column (the message quotes it
-- shortened; a spreadsheet wants the whole value). NULL for a table check, and for issues found
-- before this version.
ALTER TABLE issues ADD COLUMN offending_value TEXT;
