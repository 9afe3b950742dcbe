package dev.integrity.cli;

import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;

/** What every command reads from its surroundings; injected so tests run commands in-process. */
record CliContext(
    Map<String, String> env, PrintStream out, PrintStream err, Clock clock, boolean tty) {}
