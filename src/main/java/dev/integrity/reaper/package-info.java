/**
 * The hung-run reaper: ends runs whose owner stopped heartbeating ("owner lost", {@code error}),
 * runs older than the hung threshold ({@code timeout}) and queued runs nobody claimed, each by a
 * conditional update whose row count says who won; {@code ReaperService} sweeps on a named timer.
 *
 * <p>It talks to the store (with limits from the config) only; a sweep that fails is logged and
 * counted and the next one runs.
 */
package dev.integrity.reaper;
