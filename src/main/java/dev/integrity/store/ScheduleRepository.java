package dev.integrity.store;

import java.util.List;
import java.util.Optional;

/** Schedules and the history of their fires. Implementations are thread-safe. */
public interface ScheduleRepository {
  /** Inserts or replaces the schedule by name; keeps its creation time; returns the stored row. */
  ScheduleRow upsert(ScheduleRow schedule);

  /**
   * Saves a schedule only if none of that name exists, in one conditional insert, so that two
   * concurrent creations (in one process or several sharing the database) cannot both succeed.
   *
   * @return the saved row, or empty when a schedule of that name already existed
   */
  Optional<ScheduleRow> insertIfAbsent(ScheduleRow schedule);

  Optional<ScheduleRow> find(String name);

  /** All schedules by name. */
  List<ScheduleRow> list();

  /** Deletes the schedule (its fire history stays); false when there was none. */
  boolean delete(String name);

  void recordFire(FireRow fire);

  /** The schedule's latest fires, newest first. */
  List<FireRow> fires(String schedule, int limit);

  /** Fires skipped since the schedule last started a run. */
  int consecutiveSkips(String schedule);
}
