package dev.integrity.cli;

/** Output formats of the commands. */
enum Format {
  TEXT,
  JSON,
  CSV
}
