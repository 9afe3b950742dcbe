package dev.integrity.store;

import dev.integrity.model.Ack;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Acknowledgements: made, listed, revoked. Making or revoking one also updates the latest run that
 * checked its entity (its issues' acknowledgements and counts), so the dashboard shows the change
 * at once; older runs keep what was true when they ran. Implementations are thread-safe and safe
 * across processes.
 */
public interface AckRepository {
  /**
   * Stores a new acknowledgement, in force from now.
   *
   * @throws IllegalArgumentException when a field is missing or the end date is not in the future
   */
  Ack create(NewAck ack);

  /**
   * Stores several acknowledgements in one transaction (the "acknowledge all in this view" of the
   * run page: one per issue), updating each latest run once, not once per acknowledgement.
   *
   * @throws IllegalArgumentException as {@link #create}; then none is stored
   */
  List<Ack> createAll(List<NewAck> acks);

  /** Acknowledgements newest first: those not ended (in force or expired), or every one. */
  List<Ack> list(boolean includeEnded);

  Optional<Ack> find(String id);

  /**
   * Revokes an acknowledgement: its issues are open again from the latest run on. The conditional
   * update decides, so of two concurrent revokes one wins.
   *
   * @return the acknowledgement as it is now, or empty when there is none with that id
   */
  Optional<Ack> revoke(String id);

  /**
   * Whether any run (of the base, or of any base for null) counted issues of the check on the
   * entity: without a config to check against, the CLI refuses to acknowledge a check never seen.
   */
  boolean seen(String baseId, String entity, String checkId);

  /**
   * For each acknowledgement not ended, how many open issues it covers in the latest run that
   * checked its entity (summed over bases for one that names no base).
   */
  Map<String, Long> covering();

  /**
   * What a person asks to acknowledge.
   *
   * @param baseId null: the entity of any base
   * @param recordId null: every issue of the check on the entity
   * @param field null: any field
   * @param until null: no end
   */
  record NewAck(
      String baseId,
      String entity,
      String checkId,
      String recordId,
      String field,
      String reason,
      String by,
      java.time.Instant until) {
    /** The same acknowledgement, of {@code baseId} (a backend settles the base a form left out). */
    public NewAck withBaseId(String baseId) {
      return new NewAck(baseId, entity, checkId, recordId, field, reason, by, until);
    }
  }
}
