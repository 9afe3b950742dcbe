/**
 * The values every layer shares, with no behaviour that needs I/O: the records and schema that the
 * Airtable client and the simulator produce and the checks read ({@link
 * dev.integrity.model.AirtableRecord}, {@link dev.integrity.model.BaseSchema}), and the run, entity
 * and issue values and statuses that the store writes and the engine, web, alerts and CLI read
 * ({@link dev.integrity.model.RunRecord}, {@link dev.integrity.model.RunStatus}, {@link
 * dev.integrity.model.EntityProgress}, {@link dev.integrity.model.IssueRow}, …), and a schedule as
 * the API and dashboard show it ({@link dev.integrity.model.ScheduleView}, made once by the
 * schedule service).
 *
 * <p>May not touch: any other package of ours (ArchitectureTest checks it), so that the pure check
 * engine can read records without importing the HTTP client, and the web and CLI can show runs
 * without the store doubling as the domain model.
 */
package dev.integrity.model;
