/**
 * Small values and helpers that several feature packages share and that must have exactly one home:
 * the schedule definition rules ({@link dev.integrity.common.ScheduleSpec}), the outcome of a
 * cancel ({@link dev.integrity.common.CancelOutcome}), the text helper for messages ({@link
 * dev.integrity.common.Texts}) and the one JSON mapper ({@link dev.integrity.common.JsonMapper}).
 *
 * <p>May not touch: any other package of ours except the root {@code dev.integrity}; it is the
 * bottom layer that config, store, web, schedule, run and cli all import.
 */
package dev.integrity.common;
