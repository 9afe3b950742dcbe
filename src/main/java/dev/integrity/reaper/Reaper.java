package dev.integrity.reaper;

import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.reaper.Reaped.Reason;
import dev.integrity.store.RunNotFoundException;
import dev.integrity.store.RunRepository;
import dev.integrity.store.Store;
import dev.integrity.store.Transition;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends hung runs; each transition is a store compare-and-set, so concurrent reapers (threads or
 * processes sharing the database) end a run once. Thread-safe.
 */
public final class Reaper {
  /** The message the contract gives a run ended for running too long. */
  public static final String OVERDUE_MESSAGE =
      "Run exceeded maximum duration and was automatically terminated";

  private static final Logger log = LoggerFactory.getLogger(Reaper.class);

  private final RunRepository runs;
  private final Clock clock;
  private final ReaperSettings settings;

  public Reaper(Store store, Clock clock, ReaperSettings settings) {
    this.runs = Objects.requireNonNull(store, "store").runs();
    this.clock = Objects.requireNonNull(clock, "clock");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public ReaperSettings settings() {
    return settings;
  }

  /**
   * Finds hung runs and, unless {@code dryRun}, ends each with a compare-and-set. The result lists
   * the runs this sweep ended ({@code applied}), those another reaper or the owner ended first (not
   * applied, with the status they have now) and, in a dry run, those it would end.
   *
   * @throws dev.integrity.store.StoreException when the store cannot be read or written
   */
  public List<Reaped> sweep(boolean dryRun) {
    Instant now = clock.instant();
    Instant staleBefore = now.minus(settings.heartbeatStale());
    Instant startedBefore = now.minus(settings.hungThreshold());
    List<Reaped> result = new ArrayList<>();
    for (RunRecord run : runs.withStatus(RunStatus.RUNNING)) {
      reapRunning(run, staleBefore, startedBefore, dryRun).ifPresent(result::add);
    }
    for (RunRecord run : runs.withStatus(RunStatus.QUEUED)) {
      reapQueued(run, staleBefore, dryRun).ifPresent(result::add);
    }
    return List.copyOf(result);
  }

  private Optional<Reaped> reapRunning(
      RunRecord run, Instant staleBefore, Instant startedBefore, boolean dryRun) {
    Instant lastSign = firstNonNull(run.heartbeatAt(), run.startedAt(), run.createdAt());
    Instant started = firstNonNull(run.startedAt(), run.createdAt());
    // A dead owner explains more than an old run does, so a stale heartbeat wins over the age.
    if (lastSign.isBefore(staleBefore)) {
      String message = "owner lost: no heartbeat since " + lastSign;
      Reaped candidate = candidate(run, Reason.STALE_HEARTBEAT, RunStatus.ERROR, message);
      if (dryRun) {
        return Optional.of(candidate);
      }
      Optional<Reaped> outcome =
          apply(candidate, () -> runs.reapStale(run.id(), staleBefore, message));
      if (outcome.isPresent() || !started.isBefore(startedBefore)) {
        return outcome;
      }
      // The owner stamped a heartbeat after all; the run may still be overdue.
    }
    if (started.isBefore(startedBefore)) {
      Reaped candidate = candidate(run, Reason.OVERDUE, RunStatus.TIMEOUT, OVERDUE_MESSAGE);
      if (dryRun) {
        return Optional.of(candidate);
      }
      return apply(candidate, () -> runs.reapOverdue(run.id(), startedBefore, OVERDUE_MESSAGE));
    }
    return Optional.empty();
  }

  private Optional<Reaped> reapQueued(RunRecord run, Instant staleBefore, boolean dryRun) {
    if (!run.createdAt().isBefore(staleBefore)) {
      return Optional.empty();
    }
    String message =
        "never claimed: queued since "
            + run.createdAt()
            + " and not started within "
            + describe(settings.heartbeatStale());
    Reaped candidate = candidate(run, Reason.UNCLAIMED, RunStatus.ERROR, message);
    if (dryRun) {
      return Optional.of(candidate);
    }
    return apply(candidate, () -> runs.reapUnclaimed(run.id(), staleBefore, message));
  }

  private interface Cas {
    Transition attempt();
  }

  /**
   * Runs the compare-and-set; a run another party ended first is reported as not applied, one that
   * no longer qualifies (fresh heartbeat, claimed meanwhile) is left out.
   */
  private Optional<Reaped> apply(Reaped candidate, Cas cas) {
    Transition transition;
    try {
      transition = cas.attempt();
    } catch (RunNotFoundException e) {
      log.debug("run {} vanished while reaping it", candidate.runId());
      return Optional.empty();
    }
    return switch (transition) {
      case Transition.Applied applied -> {
        log.warn(
            "reaped run {} of base {} ({}): {} -> {}: {}",
            candidate.runId(),
            candidate.baseId(),
            candidate.reason().wire(),
            applied.from().wire(),
            applied.to().wire(),
            candidate.message());
        yield Optional.of(
            new Reaped(
                candidate.runId(),
                candidate.baseId(),
                candidate.reason(),
                applied.to(),
                candidate.message(),
                true));
      }
      case Transition.Lost lost when lost.current().terminal() -> {
        log.info(
            "run {} of base {} was already {} when this sweep tried to end it",
            candidate.runId(),
            candidate.baseId(),
            lost.current().wire());
        yield Optional.of(
            new Reaped(
                candidate.runId(),
                candidate.baseId(),
                candidate.reason(),
                lost.current(),
                candidate.message(),
                false));
      }
      case Transition.Lost lost -> Optional.empty();
    };
  }

  private static Reaped candidate(RunRecord run, Reason reason, RunStatus endsAs, String message) {
    return new Reaped(run.id(), run.baseId(), reason, endsAs, message, false);
  }

  private static Instant firstNonNull(Instant... instants) {
    for (Instant instant : instants) {
      if (instant != null) {
        return instant;
      }
    }
    throw new IllegalStateException("a stored run has no creation time");
  }

  private static String describe(Duration duration) {
    return duration.toSeconds() + " s";
  }
}
