package dev.integrity.cli;

import dev.integrity.config.Settings;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What every command reads from its surroundings; injected so tests run commands in-process. The
 * settings are read once, when a command first needs them (so {@code --help} works whatever the
 * environment holds). Not thread-safe: one per command line.
 */
final class CliContext {
  private final Supplier<Settings> read;
  private final PrintStream out;
  private final PrintStream err;
  private final Clock clock;
  private final boolean tty;
  private Settings settings;

  CliContext(Supplier<Settings> read, PrintStream out, PrintStream err, Clock clock, boolean tty) {
    this.read = Objects.requireNonNull(read);
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.tty = tty;
  }

  /** A context whose settings come from {@code env} instead of the process (tests). */
  static CliContext of(
      Map<String, String> env, PrintStream out, PrintStream err, Clock clock, boolean tty) {
    Map<String, String> copy = Map.copyOf(env);
    return new CliContext(() -> Settings.from(copy), out, err, clock, tty);
  }

  /**
   * The process settings, read and validated on first use.
   *
   * @throws dev.integrity.config.ConfigException naming each bad variable
   */
  Settings settings() {
    if (settings == null) {
      settings = read.get();
      ConsoleLogs.configure(settings.logging());
    }
    return settings;
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  Clock clock() {
    return clock;
  }

  boolean tty() {
    return tty;
  }
}
