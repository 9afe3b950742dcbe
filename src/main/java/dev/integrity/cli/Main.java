package dev.integrity.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** Entry point of the {@code integrity} command; exits with the contract's exit codes. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
    boolean tty = System.console() != null && System.console().isTerminal();
    int code =
        new Cli(new CliContext(System.getenv(), out, err, Clock.systemUTC(), tty)).execute(args);
    System.exit(code);
  }
}
