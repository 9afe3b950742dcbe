package dev.integrity.airtable;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One payload of a webhook: what one base transaction changed, table by table, with values keyed by
 * field id in the webhook cell format (see {@link WebhookCells}). Immutable (maps and lists are
 * copies; values are plain JSON values, a JSON null kept as a Java null in {@code current} and
 * {@code previous}: the field was emptied).
 *
 * <p>An error payload ({@code "error": true}) carries no changes: {@code error} is true and {@code
 * errorCode} is Airtable's {@code "code"} ({@code INVALID_FILTERS}, {@code INVALID_HOOK}, {@code
 * INTERNAL_ERROR}, or a code added later), null when it sent none; both are false/null otherwise.
 */
public record WebhookPayload(
    long cursor,
    Instant timestamp,
    long baseTransactionNumber,
    Map<String, TableChanges> changedTablesById,
    List<String> createdTableIds,
    List<String> destroyedTableIds,
    boolean error,
    String errorCode) {

  /** A payload of changes (not an error payload). */
  public WebhookPayload(
      long cursor,
      Instant timestamp,
      long baseTransactionNumber,
      Map<String, TableChanges> changedTablesById,
      List<String> createdTableIds,
      List<String> destroyedTableIds) {
    this(
        cursor,
        timestamp,
        baseTransactionNumber,
        changedTablesById,
        createdTableIds,
        destroyedTableIds,
        false,
        null);
  }

  /** The changes to one table. */
  public record TableChanges(
      Map<String, Map<String, Object>> createdRecordsById,
      Map<String, ChangedRecord> changedRecordsById,
      List<String> destroyedRecordIds,
      Map<String, FieldInfo> createdFieldsById,
      Map<String, FieldChange> changedFieldsById,
      List<String> destroyedFieldIds) {}

  /**
   * A changed record: the changed fields' new and old values, and (when the webhook includes cell
   * values) the values of its other fields; {@code unchanged} is null when not included.
   */
  public record ChangedRecord(
      Map<String, Object> current, Map<String, Object> previous, Map<String, Object> unchanged) {}

  /** A field's name and type; either is null when a change leaves it as it was. */
  public record FieldInfo(String name, String type) {}

  public record FieldChange(FieldInfo current, FieldInfo previous) {}
}
