/**
 * The command line (picocli): parses arguments, asks the composition root for the operation, and
 * turns outcomes into text, JSON or CSV on standard output and exit codes per the contract.
 *
 * <p>The only package that writes to standard output (ArchitectureTest); it holds no business rule
 * of its own.
 */
package dev.integrity.cli;
