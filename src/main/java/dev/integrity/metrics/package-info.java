/**
 * Prometheus metrics (Micrometer): run, entity, Airtable request, retry and API-call meters fed by
 * the listeners of the run engine and the client, and gauges read from the store on a cached tick.
 *
 * <p>It observes; it never changes a run, and a failing meter never fails the thing it measures.
 */
package dev.integrity.metrics;
