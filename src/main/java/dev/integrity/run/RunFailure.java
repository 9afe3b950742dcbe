package dev.integrity.run;

import java.util.Locale;

/**
 * What a person reads when something was thrown on a run's thread: for an {@link OutOfMemoryError}
 * what to change, for any other {@link Error} that it is a bug and where its stack trace is, for an
 * exception its text. Building the message allocates little, because it may run just after the heap
 * ran out. Stateless.
 */
final class RunFailure {
  static final String HEAP_ADVICE =
      "raise the heap with INTEGRITY_JAVA_OPTS (e.g. -Xmx1g) or check fewer fields";

  private RunFailure() {}

  /**
   * "out of memory while fetching 'Enrollments' (330,000 records): raise the heap …".
   *
   * @param table the table worked on, or null for the run's own stages
   * @param records records held when it was thrown; negative when unknown
   */
  static String describe(Throwable t, RunStage stage, String table, long records) {
    return describe(t, stage.doing(), table, records);
  }

  /**
   * As the other, with what the run was doing in words ("choosing a full or an incremental run").
   */
  static String describe(Throwable t, String doing, String table, long records) {
    StringBuilder where = new StringBuilder(doing);
    if (table != null) {
      where.append(" '").append(table).append('\'');
      if (records >= 0) {
        where.append(" (").append(String.format(Locale.ROOT, "%,d", records)).append(" records)");
      }
    }
    return switch (t) {
      case OutOfMemoryError oom -> "out of memory while " + where + ": " + HEAP_ADVICE;
      case StackOverflowError so ->
          "stack overflow while "
              + where
              + ": a rule or a value nests too deeply; the log has the"
              + " stack trace";
      case Error e ->
          "internal error while "
              + where
              + ": "
              + e
              + "; this is a bug: the log has its stack"
              + " trace";
      default -> "unexpected error while " + where + ": " + t;
    };
  }

  /** Whether {@code t} leaves the process unable to go on safely with more of the same work. */
  static boolean fatal(Throwable t) {
    return t instanceof Error;
  }
}
