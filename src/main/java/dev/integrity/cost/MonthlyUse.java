package dev.integrity.cost;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * A base's Airtable API calls since the start of the month (UTC), against its monthly budget.
 * Immutable.
 *
 * @param baseId the base
 * @param calls the calls its runs sent since {@code since}
 * @param budget the monthly budget, or null when it has none
 * @param since the start of the month (UTC)
 */
public record MonthlyUse(String baseId, long calls, Long budget, Instant since) {

  /** The first instant of {@code now}'s month in UTC: Airtable counts calendar months. */
  public static Instant startOfMonth(Instant now) {
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    return day.withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Whether the month's calls are past the budget. */
  public boolean over() {
    return budget != null && calls > budget;
  }

  /** {@code 312 of 1,000 calls this month (31%)}, or {@code 312 calls this month} without one. */
  public String text() {
    if (budget == null) {
      return String.format(Locale.ROOT, "%,d calls this month (no monthly budget)", calls);
    }
    return String.format(
        Locale.ROOT,
        "%,d of %,d calls this month (%d%%)",
        calls,
        budget,
        Math.round(100.0 * calls / budget));
  }
}
