/**
 * The check engine: compiles a config's checks (required, unique, allowed, pattern, format, range,
 * link, CEL rules) once and evaluates them over records in memory, reporting issues to a sink.
 *
 * <p>Pure computation: no I/O, no clock, no threads of its own. It may read the config and the
 * record and schema values; it never imports the store, the web or the CLI (ArchitectureTest).
 */
package dev.integrity.check;
