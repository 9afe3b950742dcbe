/**
 * The process settings and the config files. {@code Settings} is the one reader of the environment:
 * every variable of the contract read and validated once, at start, into immutable records ({@code
 * Limits} fitted so that they nest, {@code Overrides} of the config files, {@code LogSettings}, the
 * store's settings), printed with secrets masked. The YAML files are read with the line and column
 * of every node and bound section by section ({@code AirtableSection}, {@code EntitiesSection},
 * {@code SchedulesSection}, {@code AlertsSection}, the table of check types {@code CheckTypes});
 * every problem is reported at once with file, line and field.
 *
 * <p>Foundation: it depends on {@code common}, {@code model} and the settings records of {@code
 * store} and {@code airtable}, never on the layers that use it.
 */
package dev.integrity.config;
