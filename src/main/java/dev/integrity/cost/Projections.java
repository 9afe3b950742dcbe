package dev.integrity.cost;

import dev.integrity.common.CronFires;
import dev.integrity.config.CallBudget;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.ScheduleConfig;
import dev.integrity.model.RunRecord;
import dev.integrity.store.LastEntityFetch;
import dev.integrity.store.Store;
import dev.integrity.store.StoreException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Makes each schedule's {@link Projection} and each base's {@link MonthlyUse}. Calls per run come
 * from, in this order: the newest succeeded run of the schedule whose calls were counted; else of
 * the base; else the pages the base's last runs fetched for the schedule's entities plus the schema
 * read; else a lower bound (one schema read and one page per entity). Stateless.
 */
public final class Projections {
  private Projections() {}

  /**
   * The projections of {@code schedules} of the config's base, fires counted in the 30 days after
   * {@code now}.
   *
   * @param store the run store, or null when there is none to read (then only a lower bound)
   */
  public static List<Projection> of(
      IntegrityConfig config, List<ScheduleConfig> schedules, Store store, Instant now) {
    List<Projection> out = new ArrayList<>();
    for (ScheduleConfig schedule : schedules) {
      out.add(of(config, schedule, store, now));
    }
    return out;
  }

  /** One schedule's projection; see {@link #of(IntegrityConfig, List, Store, Instant)}. */
  public static Projection of(
      IntegrityConfig config, ScheduleConfig schedule, Store store, Instant now) {
    String baseId = config.airtable().baseId();
    CallBudget budget = config.airtable().monthlyCallBudget();
    List<String> entities =
        schedule.entities().isEmpty()
            ? List.copyOf(config.entities().keySet())
            : schedule.entities();
    long fires = CronFires.perMonth(schedule.cron(), schedule.timezone(), now);
    PerRun perRun = perRun(baseId, schedule.name(), entities, store);
    return new Projection(
        baseId, schedule.name(), perRun.calls(), perRun.basis(), perRun.atLeast(), fires, budget);
  }

  /** The base's calls since the start of {@code now}'s month (UTC), against its budget. */
  public static MonthlyUse month(Store store, String baseId, Long budget, Instant now) {
    Instant since = MonthlyUse.startOfMonth(now);
    return new MonthlyUse(baseId, store.runs().apiCallsSince(baseId, since), budget, since);
  }

  private record PerRun(long calls, String basis, boolean atLeast) {}

  private static PerRun perRun(String baseId, String schedule, List<String> entities, Store store) {
    String lowerBasis = "1 schema read + 1 page per entity; the projection needs one run";
    if (store != null) {
      try {
        Optional<RunRecord> last = store.runs().lastCounted(baseId, schedule);
        if (last.isPresent()) {
          return new PerRun(
              last.get().apiCalls(), "the last run of the schedule, " + last.get().id(), false);
        }
        last = store.runs().lastCounted(baseId, null);
        if (last.isPresent()) {
          return new PerRun(
              last.get().apiCalls(), "the last run of the base, " + last.get().id(), false);
        }
        long pages = 0;
        int unknown = 0;
        for (String entity : entities) {
          Optional<LastEntityFetch> fetch = store.runs().lastFetch(baseId, entity);
          if (fetch.isPresent()) {
            pages += fetch.get().pages();
          } else {
            unknown++;
          }
        }
        if (unknown < entities.size()) {
          return unknown == 0
              ? new PerRun(
                  pages + 1,
                  "estimated: " + pages + " pages the last runs read + 1 schema read",
                  false)
              : new PerRun(
                  pages + unknown + 1,
                  "estimated: "
                      + pages
                      + " pages the last runs read, 1 page for each of "
                      + unknown
                      + " entities never read, 1 schema read",
                  true);
        }
      } catch (StoreException e) {
        lowerBasis = "1 schema read + 1 page per entity; the store could not be read";
      }
    }
    return new PerRun(1L + entities.size(), lowerBasis, true);
  }
}
