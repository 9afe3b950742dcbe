/**
 * The composition root. {@code IntegrityApp.Builder.build()} is the one place that wires the whole
 * graph from {@code config.Settings} and the config files: the store, one Airtable client per base
 * over shared rate limiters ({@code Clients}), the check engines, the run engine, metrics, and for
 * serving the alerts, the reaper, schedules ({@code Firing}), background runs ({@code RunLauncher})
 * and the web server ({@code ServiceBackend}); every listener is fixed there ({@code Listeners},
 * also the one road for "a run ended", whether its engine or the reaper ended it). Callers ask the
 * root for operations: {@code runOnce}, {@code serve}, {@code reap}, {@code validate}.
 *
 * <p>The only package that constructs services (ArchitectureTest) and the only one that knows every
 * other feature; nothing but the CLI imports it.
 */
package dev.integrity.app;
