package dev.integrity.check;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.TableSchema;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A check of a whole table rather than of each record: judged once per evaluation, after every
 * record, from the records and the {@link TableFacts} the run hands in (its start, the entity's
 * earlier counts). It finds at most one issue, with an empty record id. Immutable and thread-safe.
 */
sealed interface TableCheck {
  CheckSpec spec();

  /** The field: part of its fingerprint, so that two freshness checks stay apart. */
  String field();

  Verdict judge(List<AirtableRecord> records, TableFacts facts);

  /** What judging the table gave. */
  sealed interface Verdict {
    record Passed() implements Verdict {}

    record Failed(String message) implements Verdict {}

    /**
     * The check could not be judged in this run (what it needs is unknown): its earlier issue stays
     * open, neither new nor resolved.
     */
    record NotJudged(String why) implements Verdict {}
  }

  static TableCheck of(CheckSpec.Volume spec) {
    return new VolumeCheck(spec);
  }

  static TableCheck of(CheckSpec.Freshness spec) {
    return new FreshnessCheck(spec);
  }

  /** The record count against bounds, the last run's count and the last runs' spread. */
  record VolumeCheck(CheckSpec.Volume spec) implements TableCheck {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    @Override
    public String field() {
      return "";
    }

    @Override
    public Verdict judge(List<AirtableRecord> records, TableFacts facts) {
      long count = records.size();
      List<String> reasons = new ArrayList<>();
      if (spec.min() != null && count < spec.min()) {
        reasons.add("below min " + number(spec.min()));
      }
      if (spec.max() != null && count > spec.max()) {
        reasons.add("above max " + number(spec.max()));
      }
      boolean needsHistory =
          spec.maxDrop() != null || spec.maxGrowth() != null || spec.anomaly() != null;
      List<Long> earlier = facts.earlierCounts();
      if (needsHistory && earlier == null) {
        return reasons.isEmpty()
            ? new Verdict.NotJudged("the record counts of earlier runs are unknown")
            : failed(count, reasons);
      }
      if (needsHistory && !earlier.isEmpty()) {
        long last = earlier.getFirst();
        changeSinceLast(count, last, reasons);
        if (spec.anomaly() != null) {
          anomaly(count, earlier.subList(0, Math.min(TableFacts.ANOMALY_RUNS, earlier.size())))
              .ifPresent(reasons::add);
        }
      }
      return reasons.isEmpty() ? new Verdict.Passed() : failed(count, reasons);
    }

    /**
     * A percent of 0 is no base: after an empty last run neither a drop nor a growth is measured
     * (min and max say what an empty table may be).
     */
    private void changeSinceLast(long count, long last, List<String> reasons) {
      if (last <= 0) {
        return;
      }
      BigDecimal change = BigDecimal.valueOf(count - last).multiply(HUNDRED);
      BigDecimal base = BigDecimal.valueOf(last);
      if (spec.maxDrop() != null
          && count < last
          && change.negate().compareTo(spec.maxDrop().multiply(base)) > 0) {
        reasons.add(
            percent(change.negate().divide(base, 6, RoundingMode.HALF_UP), spec.maxDrop())
                + " fewer than the "
                + number(last)
                + " of the last run (maxDrop "
                + spec.maxDrop().stripTrailingZeros().toPlainString()
                + "%)");
      }
      if (spec.maxGrowth() != null
          && count > last
          && change.compareTo(spec.maxGrowth().multiply(base)) > 0) {
        reasons.add(
            percent(change.divide(base, 6, RoundingMode.HALF_UP), spec.maxGrowth())
                + " more than the "
                + number(last)
                + " of the last run (maxGrowth "
                + spec.maxGrowth().stripTrailingZeros().toPlainString()
                + "%)");
      }
    }

    /**
     * Outside {@code anomaly} sample standard deviations of the mean of the last runs; ignored with
     * fewer than {@link TableFacts#ANOMALY_MIN_RUNS} of them. A history without spread makes any
     * other count an anomaly.
     */
    private Optional<String> anomaly(long count, List<Long> window) {
      int n = window.size();
      if (n < TableFacts.ANOMALY_MIN_RUNS) {
        return Optional.empty();
      }
      double mean = window.stream().mapToLong(Long::longValue).average().orElse(0);
      double squares = 0;
      for (long c : window) {
        squares += (c - mean) * (c - mean);
      }
      double sd = Math.sqrt(squares / (n - 1));
      double deviation = count - mean;
      String limit = spec.anomaly().stripTrailingZeros().toPlainString();
      String meanText = number(Math.round(mean));
      if (sd == 0) {
        return count == mean
            ? Optional.empty()
            : Optional.of(
                "unlike the last "
                    + n
                    + " runs, which all had "
                    + meanText
                    + " (anomaly "
                    + limit
                    + ")");
      }
      double z = Math.abs(deviation) / sd;
      if (z <= spec.anomaly().doubleValue()) {
        return Optional.empty();
      }
      return Optional.of(
          String.format(Locale.ROOT, "%.1f", z)
              + " standard deviations "
              + (deviation < 0 ? "below" : "above")
              + " the mean "
              + meanText
              + " of the last "
              + n
              + " runs (anomaly "
              + limit
              + ")");
    }

    private static Verdict failed(long count, List<String> reasons) {
      return new Verdict.Failed(
          number(count) + " record" + (count == 1 ? "" : "s") + ", " + String.join("; ", reasons));
    }

    /**
     * A percent rounded to a whole number, with a decimal or two more when rounding would make it
     * look no bigger than the limit it broke (10.4% against maxDrop 10).
     */
    private static String percent(BigDecimal value, BigDecimal limit) {
      for (int scale = 0; scale < 3; scale++) {
        BigDecimal shown = value.setScale(scale, RoundingMode.HALF_UP);
        if (shown.compareTo(limit) > 0) {
          return shown.toPlainString() + "%";
        }
      }
      return value.stripTrailingZeros().toPlainString() + "%";
    }
  }

  /** The newest value of a date field (or of the creation time) against the run's start. */
  record FreshnessCheck(CheckSpec.Freshness spec) implements TableCheck {
    @Override
    public String field() {
      return spec.field();
    }

    @Override
    public Verdict judge(List<AirtableRecord> records, TableFacts facts) {
      if (facts.runStart() == null) {
        return new Verdict.NotJudged("the run's start is unknown");
      }
      Instant newest = null;
      boolean newestIsDate = false;
      boolean anyCreatedTime = false;
      for (AirtableRecord record : records) {
        if (spec.createdTime()) {
          Instant created = record.createdTime();
          anyCreatedTime |= created != null;
          if (created != null && (newest == null || created.isAfter(newest))) {
            newest = created;
            newestIsDate = false;
          }
          continue;
        }
        Object value = record.fields().get(spec.field());
        if (Values.isEmpty(value)) {
          continue;
        }
        for (Object element : Values.elements(value)) {
          Instant at = instant(element);
          if (at != null && (newest == null || at.isAfter(newest))) {
            newest = at;
            newestIsDate = element instanceof String s && s.trim().length() == 10;
          }
        }
      }
      if (spec.createdTime() && !records.isEmpty() && !anyCreatedTime) {
        // Records read from an incremental run's mirror carry no creation time.
        return new Verdict.NotJudged("the records carry no creation time");
      }
      String what = spec.createdTime() ? "creation time" : spec.field();
      if (newest == null) {
        return new Verdict.Failed(
            records.isEmpty()
                ? "the table has no records, so no "
                    + what
                    + " (maxAge "
                    + limit(spec.maxAge())
                    + ")"
                : "no "
                    + what
                    + " in any of the "
                    + TableCheck.number(records.size())
                    + " records (maxAge "
                    + limit(spec.maxAge())
                    + ")");
      }
      Duration age = Duration.between(newest, facts.runStart());
      if (age.compareTo(spec.maxAge()) <= 0) {
        return new Verdict.Passed();
      }
      return new Verdict.Failed(
          "newest "
              + what
              + " is "
              + (newestIsDate ? LocalDate.ofInstant(newest, ZoneOffset.UTC) : newest)
              + ", "
              + age(age)
              + " old at the run's start (maxAge "
              + limit(spec.maxAge())
              + ")");
    }

    /** Field types whose values are dates or date-times (a computed field's by its result). */
    static final Set<String> DATE_TYPES =
        Set.of("date", "dateTime", "createdTime", "lastModifiedTime");

    /**
     * Why the schema's field cannot be read for freshness (not a date or date-time), if so; a
     * missing field is the generic check's problem, and {@code createdTime} needs no field.
     */
    static Optional<String> typeProblem(CheckSpec.Freshness spec, TableSchema table) {
      if (spec.createdTime()) {
        return Optional.empty();
      }
      return table
          .field(spec.field())
          .filter(f -> !DATE_TYPES.contains(f.valueType()))
          .map(
              f ->
                  "field '"
                      + spec.field()
                      + "' is of type "
                      + f.valueType()
                      + "; freshness reads a date, dateTime, createdTime or lastModifiedTime"
                      + " field (or createdTime, the records' creation time)");
    }

    /**
     * An ISO date (its start of day in UTC) or date-time (UTC when it names no offset), as Airtable
     * sends date, dateTime, createdTime and lastModifiedTime values; else null.
     */
    static Instant instant(Object value) {
      if (!(value instanceof String s)) {
        return null;
      }
      String t = s.trim();
      if (t.length() < 10 || t.length() > 40) {
        return null;
      }
      try {
        if (t.length() == 10) {
          return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
        }
        if (t.charAt(10) != 'T' && t.charAt(10) != 't') {
          return null;
        }
        char last = t.charAt(t.length() - 1);
        boolean offset =
            last == 'Z' || last == 'z' || t.indexOf('+', 10) > 0 || t.indexOf('-', 10) > 0;
        return offset
            ? OffsetDateTime.parse(t).toInstant()
            : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
      } catch (DateTimeException e) {
        return null;
      }
    }
  }

  /** A count with thousands separators: {@code 6,950}. */
  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** An age in its two largest units: {@code 4d 3h}, {@code 2h 5m}, {@code 48h}, {@code 90m}. */
  static String age(Duration d) {
    long minutes = Math.max(0, d.toMinutes());
    long days = minutes / (24 * 60);
    long hours = minutes / 60 % 24;
    long mins = minutes % 60;
    if (days > 0) {
      return days + "d" + (hours > 0 ? " " + hours + "h" : "");
    }
    if (hours > 0) {
      return hours + "h" + (mins > 0 ? " " + mins + "m" : "");
    }
    return mins + "m";
  }

  /**
   * A {@code maxAge} in the unit it was most likely written in: {@code 90m}, {@code 48h}, {@code
   * 7d}.
   */
  static String limit(Duration d) {
    long minutes = d.toMinutes();
    if (minutes % 60 != 0) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    return hours % 24 != 0 || hours <= 72 ? hours + "h" : hours / 24 + "d";
  }
}
