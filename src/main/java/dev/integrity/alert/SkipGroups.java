package dev.integrity.alert;

import dev.integrity.common.Texts;
import dev.integrity.model.RunRecord;
import dev.integrity.store.FireRow;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The schedules whose last {@code skipsInARow} fires or more were skipped, grouped by cause, with
 * what each group's alert says: fifty bases skipping for one reason (an instance that died holding
 * their runs) are one group naming them all, not fifty. Read from the store's fire records, so
 * every instance reaches the same groups. Thread-safe.
 */
final class SkipGroups {
  private static final int MAX_LISTED = 10;
  private static final int MAX_REASON_CHARS = 500;

  private final Store store;
  private final int skipsInARow;

  SkipGroups(Store store, int skipsInARow) {
    this.store = store;
    this.skipsInARow = skipsInARow;
  }

  /**
   * One cause's group; {@code baseId}, {@code schedule} and {@code blockingRunId} name the one
   * schedule of a group of one, and are null for a larger group (its summary names them all).
   */
  record Group(Cause cause, String baseId, String schedule, String blockingRunId, String summary) {}

  /** Why fires were skipped, as an alert groups them. */
  enum Cause {
    ACTIVE_RUN("active-run", "their base had a run going"),
    NO_WORKER(
        "no-worker",
        "no worker was free: every instance had SCHEDULED_RUNS_PER_INSTANCE scheduled runs going"
            + " (add an instance or raise the limit), or none was running"),
    NOT_SERVED("not-served", "the instance that picked the fire does not serve the base"),
    OTHER("other", "a run could not be started");

    private final String key;
    private final String says;

    Cause(String key, String says) {
      this.key = key;
      this.says = says;
    }

    String key() {
      return key;
    }

    /** The cause of a skip from its recorded reason (the schedule service's own words). */
    static Cause of(String reason) {
      if (reason == null) {
        return OTHER;
      }
      if (reason.contains("no worker was free")) {
        return NO_WORKER;
      }
      if (reason.contains("active run") || reason.contains("was still going")) {
        return ACTIVE_RUN;
      }
      if (reason.contains("not served by")) {
        return NOT_SERVED;
      }
      return OTHER;
    }
  }

  /** A schedule whose last fires were skipped: how many in a row, and the newest reason. */
  private record Skipping(String schedule, String baseId, int inARow, String reason) {}

  /** The groups as the store has them now; empty when no schedule skips enough. */
  List<Group> current() {
    Map<Cause, List<Skipping>> groups = new EnumMap<>(Cause.class);
    for (ScheduleRow row : store.schedules().list()) {
      int inARow = store.schedules().consecutiveSkips(row.name());
      if (inARow < skipsInARow) {
        continue;
      }
      String reason =
          store.schedules().fires(row.name(), 1).stream()
              .findFirst()
              .map(FireRow::reason)
              .orElse(null);
      groups
          .computeIfAbsent(Cause.of(reason), c -> new ArrayList<>())
          .add(new Skipping(row.name(), row.baseId(), inARow, reason));
    }
    List<Group> out = new ArrayList<>();
    groups.forEach(
        (cause, skipping) -> {
          if (skipping.size() == 1) {
            Skipping only = skipping.getFirst();
            String blocking = store.runs().activeRun(only.baseId()).map(RunRecord::id).orElse(null);
            out.add(
                new Group(
                    cause, only.baseId(), only.schedule(), blocking, summary(cause, skipping)));
          } else {
            out.add(new Group(cause, null, null, null, summary(cause, skipping)));
          }
        });
    return out;
  }

  private String summary(Cause cause, List<Skipping> skipping) {
    StringBuilder text = new StringBuilder();
    if (skipping.size() == 1) {
      Skipping only = skipping.getFirst();
      text.append("Schedule ")
          .append(only.schedule())
          .append(only.baseId() == null ? "" : " of base " + only.baseId())
          .append(" skipped ")
          .append(only.inARow())
          .append(" fires in a row: ")
          .append(cause.says);
    } else {
      text.append(skipping.size())
          .append(" schedules skipped ")
          .append(skipsInARow)
          .append(" or more fires in a row: ")
          .append(cause.says)
          .append(". Bases: ")
          .append(
              skipping.stream()
                  .map(Skipping::baseId)
                  .distinct()
                  .sorted()
                  .collect(Collectors.joining(", ")))
          .append('.');
    }
    skipping.stream()
        .limit(MAX_LISTED)
        .forEach(
            s ->
                text.append("\n- ")
                    .append(s.schedule())
                    .append(" (base ")
                    .append(s.baseId())
                    .append(", ")
                    .append(s.inARow())
                    .append(" in a row)")
                    .append(
                        s.reason() == null || s.reason().isBlank()
                            ? ""
                            : ": " + Texts.shorten(s.reason(), MAX_REASON_CHARS)));
    if (skipping.size() > MAX_LISTED) {
      text.append("\n- and ").append(skipping.size() - MAX_LISTED).append(" more");
    }
    return text.toString();
  }
}
