/**
 * Alerts of the always-on service, in two halves that meet only at {@link
 * dev.integrity.alert.AlertSink}:
 *
 * <ul>
 *   <li>Rules ({@code AlertRules}, {@code AlertKind}, {@code SkipGroups}, {@code Messages}, {@code
 *       DigestBuilder}): which run ends, schedule fires (grouped by cause) and running runs open,
 *       repeat ({@code alerts.repeatAfter}) or resolve an alert, deduplicated through the store's
 *       alert table; each owner's digest of a run's new fail issues; what the message says. They
 *       know owners by name, no channel.
 *   <li>Delivery ({@code AlertDispatcher}, {@link dev.integrity.alert.AlertRoutes}, the channels,
 *       {@code SlackPayload}, {@code EmailBody}): which channels hear an alert (the owner's for an
 *       alert about its entities, else its base's own, or every channel once for an alert of no
 *       served base), how each renders it, the delivery pool, retries and the delivery records. It
 *       knows no condition.
 * </ul>
 *
 * {@link dev.integrity.alert.AlertService} joins them for the service. The package reads the store
 * and the run listener interface; it must not touch the web, CLI, engine internals or the
 * environment (thresholds and channels come in already read, from config and limits).
 */
package dev.integrity.alert;
