package dev.integrity.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** One in-process invocation of the CLI with its exit code, stdout and stderr. */
record CliRun(int code, String out, String err) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Runs {@code integrity args…} with settings from {@code env}, off a terminal. */
  static CliRun of(Map<String, String> env, Clock clock, String... args) {
    return run(env, clock, false, args);
  }

  /** Like {@link #of}, as on a terminal (stdout and stderr on one screen, live progress). */
  static CliRun onTerminal(Map<String, String> env, Clock clock, String... args) {
    return run(env, clock, true, args);
  }

  private static CliRun run(Map<String, String> env, Clock clock, boolean tty, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        new Cli(
                CliContext.of(
                    env,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    clock,
                    tty))
            .execute(args);
    return new CliRun(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  JsonNode json() {
    try {
      return JSON.readTree(out);
    } catch (IOException e) {
      throw new AssertionError("stdout is not one JSON document: " + out, e);
    }
  }
}
