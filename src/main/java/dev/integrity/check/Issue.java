package dev.integrity.check;

import dev.integrity.config.Severity;
import java.util.Objects;

/**
 * One problem found in one record by one check. {@code field} is the field the issue is about (for
 * composite {@code unique} and {@code rule} checks the fields joined with {@code +}; for a dangling
 * link, {@code Field:recXXXX} so each dangling id has its own fingerprint). {@code message} shows
 * the offending value, shortened, and is untrusted text (it quotes Airtable data). Immutable and
 * thread-safe.
 *
 * <p>{@code value} is the offending value whole, as text (a spreadsheet wants it in its own column,
 * the message quotes it shortened); for a composite field the values joined with {@code " + "}, for
 * a dangling link the id; null when the issue is about no one value (a table check).
 */
public record Issue(
    String entity,
    String recordId,
    String checkId,
    String field,
    Severity severity,
    String message,
    String value) {

  /** An issue about no one value. */
  public Issue(
      String entity,
      String recordId,
      String checkId,
      String field,
      Severity severity,
      String message) {
    this(entity, recordId, checkId, field, severity, message, null);
  }

  public Issue {
    Objects.requireNonNull(entity, "entity");
    Objects.requireNonNull(recordId, "recordId");
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }
}
