/**
 * The starter config of {@code integrity init}: a pure function from a base schema (Meta API) to a
 * YAML file that validates online as written. No I/O; the CLI reads the schema and writes the file.
 */
package dev.integrity.init;
