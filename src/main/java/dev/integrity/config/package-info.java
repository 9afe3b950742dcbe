/**
 * The configuration: YAML files read with the line and column of every node, bound section by
 * section ({@code AirtableSection}, {@code EntitiesSection}, {@code SchedulesSection}, {@code
 * AlertsSection}, the table of check types {@code CheckTypes}), environment overrides and the
 * limits that nest ({@code Limits}); every problem is reported at once with file, line and field.
 *
 * <p>Foundation: it depends only on {@code common} and never on the layers that use it.
 */
package dev.integrity.config;
