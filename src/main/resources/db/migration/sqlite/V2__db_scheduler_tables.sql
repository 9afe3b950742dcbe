-- db-scheduler 16.12.0's table, with exactly the columns of that release's sqlite_tables.sql
-- (later releases add a "state" column: do not take it from the default branch).
CREATE TABLE scheduled_tasks (
  task_name            VARCHAR(100),
  task_instance        VARCHAR(100),
  task_data            BLOB,
  execution_time       TIMESTAMP,
  picked               BIT,
  picked_by            VARCHAR(50),
  last_success         TIMESTAMP,
  last_failure         TIMESTAMP,
  consecutive_failures INT,
  last_heartbeat       TIMESTAMP,
  version              BIGINT,
  priority             SMALLINT,
  PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
