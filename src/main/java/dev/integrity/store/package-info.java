/**
 * The run store: runs, entities, issues and their history, schedules, alerts, the incremental
 * mirror and webhook state, on SQLite or PostgreSQL through HikariCP, JDBI and Flyway (one
 * migration folder per dialect). Every status change is a compare-and-set in SQL. The values it
 * writes and returns (runs, entities, issues) live in {@code model}, so that storage does not
 * double as the domain model.
 *
 * <p>Foundation for the layers above: it depends only on {@code model} and {@code common}, never on
 * the engine, the web or the CLI.
 */
package dev.integrity.store;
