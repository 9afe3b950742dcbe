package dev.integrity.cli;

import dev.integrity.config.Settings;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Entry point of the {@code integrity} command; exits with the contract's exit codes. */
public final class Main {
  private Main() {}

  /**
   * Whether stderr goes to a terminal. Java 22+ returns a console even when redirected, and only
   * there says {@code isTerminal()}; we build for 21, so ask by reflection.
   */
  static boolean isTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console exists only for a terminal
    }
  }

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    boolean tty = isTerminal();
    int code =
        new Cli(new CliContext(Settings::fromProcess, out, err, Clock.systemUTC(), tty))
            .execute(args);
    System.exit(code);
  }
}
