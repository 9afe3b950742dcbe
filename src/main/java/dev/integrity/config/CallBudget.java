package dev.integrity.config;

import dev.integrity.common.Texts;
import java.util.Locale;
import java.util.Map;

/**
 * {@code airtable.monthlyCallBudget}: how many Airtable API calls a month the base's workspace may
 * spend. Airtable caps the Free plan at 1,000 calls a month and Team at 100,000, per workspace and
 * shared by every integration; past it, requests are blocked (Free) or throttled to 2 requests/s
 * until the month ends. Business and Enterprise have no monthly cap. Immutable and thread-safe.
 *
 * @param plan the name written ({@code free}, {@code team}, {@code business}, {@code enterprise},
 *     {@code none}), or null for a number
 * @param calls the calls a month, or null when there is no monthly budget
 */
public record CallBudget(String plan, Long calls) {
  public static final long FREE = 1_000;
  public static final long TEAM = 100_000;

  /** The named thresholds; null: no monthly limit. */
  static final Map<String, Long> NAMED =
      Map.of("free", FREE, "team", TEAM, "business", -1L, "enterprise", -1L, "none", -1L);

  private static final CallBudget NONE = new CallBudget(null, null);

  public CallBudget {
    if (calls != null && calls < 1) {
      throw new IllegalArgumentException("a monthly call budget is at least 1, got " + calls);
    }
  }

  /** No monthly budget (the default; Business and Enterprise plans). */
  public static CallBudget none() {
    return NONE;
  }

  /**
   * The budget a config value names: a plan name (any case) or a positive whole number (a {@code ,}
   * or {@code _} between digits allowed).
   *
   * @throws IllegalArgumentException naming what is accepted
   */
  public static CallBudget parse(String text) {
    String value = text == null ? "" : text.trim();
    Long named = NAMED.get(value.toLowerCase(Locale.ROOT));
    if (named != null) {
      String plan = value.toLowerCase(Locale.ROOT);
      return new CallBudget(plan, named < 0 ? null : named);
    }
    if (value.matches("\\d{1,3}([,_]?\\d{3})*|\\d+")) {
      try {
        long calls = Long.parseLong(value.replace(",", "").replace("_", ""));
        if (calls >= 1) {
          return new CallBudget(null, calls);
        }
      } catch (NumberFormatException e) {
        // too large: refused below
      }
    }
    throw new IllegalArgumentException(
        "monthlyCallBudget must be free (1,000 calls a month), team (100,000), business (no"
            + " monthly limit) or a whole number of calls of at least 1, got '"
            + Texts.shorten(value, 40)
            + "'");
  }

  /** Whether there is a monthly budget to compare with. */
  public boolean limited() {
    return calls != null;
  }

  /** {@code 1,000 (free)}, {@code 250,000}, or {@code no monthly budget}. */
  public String describe() {
    if (calls == null) {
      return plan == null ? "no monthly budget" : "no monthly budget (" + plan + ")";
    }
    return String.format(Locale.ROOT, "%,d", calls) + (plan == null ? "" : " (" + plan + ")");
  }
}
