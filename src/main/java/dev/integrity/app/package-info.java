/**
 * The composition root: {@code IntegrityApp} builds the store, clients, run engine and listeners
 * from the environment and the config files; {@code Service} adds what {@code serve} runs
 * (schedules, reaper, alerts, metrics, web) and {@code ServiceBackend} adapts it all to the web's
 * interface.
 *
 * <p>The only package that knows every other feature; nothing but the CLI imports it.
 */
package dev.integrity.app;
