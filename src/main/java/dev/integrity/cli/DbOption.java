package dev.integrity.cli;

import picocli.CommandLine.Option;

/** The {@code --db URL} option every command takes (else INTEGRITY_DB_URL). */
final class DbOption {
  @Option(
      names = "--db",
      paramLabel = "URL",
      description = "run store, e.g. jdbc:sqlite:data/integrity.db (default: $INTEGRITY_DB_URL)")
  String url;
}
