package dev.integrity.check;

import dev.integrity.config.Severity;
import java.util.Objects;

/**
 * One problem found in one record by one check. {@code field} is the field the issue is about (for
 * composite {@code unique} and {@code rule} checks the fields joined with {@code +}; for a dangling
 * link, {@code Field:recXXXX} so each dangling id has its own fingerprint). {@code message} shows
 * the offending value, shortened, and is untrusted text (it quotes Airtable data). Immutable and
 * thread-safe.
 */
public record Issue(
    String entity,
    String recordId,
    String checkId,
    String field,
    Severity severity,
    String message) {
  public Issue {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }
}
