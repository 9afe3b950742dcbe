package dev.integrity.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One declared check of an entity, as written in {@code integrity.yml}. Every check has a stable
 * {@link #id()} (explicit, or derived from its type and fields, e.g. {@code required:Name+Email},
 * {@code link:Teacher}, {@code rule:ends-after-start}), a {@link #severity()} ({@code fail} by
 * default) and the {@link #location()} it was written at. The semantics of each type are in {@code
 * docs/checks.md}. Records passing null for id, severity or location get the defaults. Immutable
 * and thread-safe.
 */
public sealed interface CheckSpec
    permits CheckSpec.Required,
        CheckSpec.Unique,
        CheckSpec.Allowed,
        CheckSpec.Pattern,
        CheckSpec.Format,
        CheckSpec.Range,
        CheckSpec.Link,
        CheckSpec.Rule,
        CheckSpec.Volume,
        CheckSpec.Freshness,
        CheckSpec.Computed,
        CheckSpec.Similar {

  String id();

  Severity severity();

  Location location();

  /** The type keyword of the config file: {@code required}, {@code unique}, … */
  String type();

  /** The record fields this check reads (for a rule: the fields its expression names). */
  List<String> fields();

  /** Fields that must be present and non-empty; one issue per record and field. */
  record Required(List<String> fields, String id, Severity severity, Location location)
      implements CheckSpec {
    public Required {
      fields = List.copyOf(fields);
      id = Defaults.id(id, "required", fields);
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Required(List<String> fields) {
      this(fields, null, null, null);
    }

    @Override
    public String type() {
      return "required";
    }
  }

  /** A value or tuple of values shared by no two records; {@code normalize} folds case/space. */
  record Unique(
      List<String> fields, boolean normalize, String id, Severity severity, Location location)
      implements CheckSpec {
    public Unique {
      fields = List.copyOf(fields);
      id = Defaults.id(id, "unique", fields);
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Unique(List<String> fields, boolean normalize) {
      this(fields, normalize, null, null, null);
    }

    @Override
    public String type() {
      return "unique";
    }
  }

  /** A field whose value (each value, for multiple selects) must be one of {@code values}. */
  record Allowed(String field, List<String> values, String id, Severity severity, Location location)
      implements CheckSpec {
    public Allowed {
      Objects.requireNonNull(field, "field");
      values = List.copyOf(values);
      id = Defaults.id(id, "allowed", List.of(field));
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Allowed(String field, List<String> values) {
      this(field, values, null, null, null);
    }

    @Override
    public String type() {
      return "allowed";
    }

    @Override
    public List<String> fields() {
      return List.of(field);
    }
  }

  /** A field whose text must contain a match of an RE2J {@code regex} (anchor with ^…$). */
  record Pattern(String field, String regex, String id, Severity severity, Location location)
      implements CheckSpec {
    public Pattern {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(regex, "regex");
      id = Defaults.id(id, "pattern", List.of(field));
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Pattern(String field, String regex) {
      this(field, regex, null, null, null);
    }

    @Override
    public String type() {
      return "pattern";
    }

    @Override
    public List<String> fields() {
      return List.of(field);
    }
  }

  /** A field whose text must be a well-formed e-mail address, URL, phone number or date. */
  record Format(String field, Kind kind, String id, Severity severity, Location location)
      implements CheckSpec {
    public Format {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(kind, "kind");
      id = Defaults.id(id, "format", List.of(field));
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Format(String field, Kind kind) {
      this(field, kind, null, null, null);
    }

    @Override
    public String type() {
      return "format";
    }

    @Override
    public List<String> fields() {
      return List.of(field);
    }

    /** The formats {@code as:} accepts. */
    public enum Kind {
      EMAIL,
      URL,
      PHONE,
      DATE;

      public String wire() {
        return name().toLowerCase(Locale.ROOT);
      }
    }
  }

  /**
   * A number or ISO date between {@code min} and {@code max}, both inclusive; either may be null
   * (unbounded) but not both, and both are of the same kind.
   */
  record Range(String field, Bound min, Bound max, String id, Severity severity, Location location)
      implements CheckSpec {
    public Range {
      Objects.requireNonNull(field, "field");
      if (min == null && max == null) {
        throw new IllegalArgumentException("range needs min or max");
      }
      if (min != null && max != null && min.getClass() != max.getClass()) {
        throw new IllegalArgumentException("range min and max must both be numbers or dates");
      }
      id = Defaults.id(id, "range", List.of(field));
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Range(String field, Bound min, Bound max) {
      this(field, min, max, null, null, null);
    }

    @Override
    public String type() {
      return "range";
    }

    @Override
    public List<String> fields() {
      return List.of(field);
    }

    /** True when the bounds are dates (values are then read as ISO dates). */
    public boolean dates() {
      return (min != null ? min : max) instanceof Bound.Date;
    }

    /** One end of a range. */
    public sealed interface Bound {
      record Number(BigDecimal value) implements Bound {
        public Number {
          Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
          return value.toPlainString();
        }
      }

      record Date(LocalDate value) implements Bound {
        public Date {
          Objects.requireNonNull(value, "value");
        }

        @Override
        public String toString() {
          return value.toString();
        }
      }
    }
  }

  /**
   * A link field holding between {@code min} and {@code max} linked ids (absent = 0; {@link
   * #UNBOUNDED} max = no upper bound), each a record of entity {@code to}.
   */
  record Link(
      String field, String to, int min, int max, String id, Severity severity, Location location)
      implements CheckSpec {
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    public Link {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(to, "to");
      if (min < 0 || max < min) {
        throw new IllegalArgumentException("link needs 0 <= min <= max");
      }
      id = Defaults.id(id, "link", List.of(field));
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Link(String field, String to, int min, int max) {
      this(field, to, min, max, null, null, null);
    }

    @Override
    public String type() {
      return "link";
    }

    @Override
    public List<String> fields() {
      return List.of(field);
    }
  }

  /** A CEL expression over {@code r} (the record's fields and {@code r.id}) that must be true. */
  record Rule(String name, String expr, String id, Severity severity, Location location)
      implements CheckSpec {
    public Rule {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(expr, "expr");
      id = id == null ? "rule:" + name : id;
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Rule(String name, String expr) {
      this(name, expr, null, null, null);
    }

    @Override
    public String type() {
      return "rule";
    }

    /** The fields the expression names as {@code r.Field} or {@code r["Field"]}, in order. */
    @Override
    public List<String> fields() {
      return RuleLanguage.referencedFields(expr);
    }
  }

  /**
   * The table's record count, a check of the table (at most one issue per run, with an empty record
   * id): between {@code min} and {@code max}, fallen by at most {@code maxDrop} and grown by at
   * most {@code maxGrowth} percent since the last run that checked the entity, and within {@code
   * anomaly} standard deviations of the counts of the last 14 such runs. Each is null when not
   * asked for; at least one is set.
   */
  record Volume(
      Integer min,
      Integer max,
      BigDecimal maxDrop,
      BigDecimal maxGrowth,
      BigDecimal anomaly,
      String id,
      Severity severity,
      Location location)
      implements CheckSpec {
    public Volume {
      if (min == null && max == null && maxDrop == null && maxGrowth == null && anomaly == null) {
        throw new IllegalArgumentException(
            "volume needs at least one of min, max, maxDrop, maxGrowth, anomaly");
      }
      if (min != null && max != null && max < min) {
        throw new IllegalArgumentException("volume max " + max + " is below min " + min);
      }
      id = id == null ? "volume" : id;
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Volume(
        Integer min, Integer max, BigDecimal maxDrop, BigDecimal maxGrowth, BigDecimal anomaly) {
      this(min, max, maxDrop, maxGrowth, anomaly, null, null, null);
    }

    @Override
    public String type() {
      return "volume";
    }

    /** A count reads no field. */
    @Override
    public List<String> fields() {
      return List.of();
    }
  }

  /**
   * The newest value of a date or date-time field (or of the records' creation time, {@link
   * #CREATED_TIME}) over the table is at most {@code maxAge} old at the run's start; a check of the
   * table (at most one issue per run, with an empty record id).
   */
  record Freshness(String field, Duration maxAge, String id, Severity severity, Location location)
      implements CheckSpec {
    /** The field name that means the record's creation time of the list-records response. */
    public static final String CREATED_TIME = "createdTime";

    public Freshness {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(maxAge, "maxAge");
      if (maxAge.isNegative() || maxAge.isZero()) {
        throw new IllegalArgumentException("freshness maxAge must be positive");
      }
      id = Defaults.id(id, "freshness", List.of(field));
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Freshness(String field, Duration maxAge) {
      this(field, maxAge, null, null, null);
    }

    @Override
    public String type() {
      return "freshness";
    }

    /** Whether the check reads the records' creation time rather than a field. */
    public boolean createdTime() {
      return CREATED_TIME.equals(field);
    }

    /** The field to fetch and to find in the schema; none for the creation time. */
    @Override
    public List<String> fields() {
      return createdTime() ? List.of() : List.of(field);
    }
  }

  /**
   * Computed fields (formula, rollup, lookup, count) whose value is an error ({@code {"error":
   * "#ERROR!"}}, {@code {"specialValue": "NaN"}}, or such a value inside a lookup's list). {@code
   * all}: every computed field of the table, which only the base schema knows ({@code fields} is
   * then empty and the run resolves it when it has read the schema).
   */
  record Computed(List<String> fields, boolean all, String id, Severity severity, Location location)
      implements CheckSpec {
    public Computed {
      fields = List.copyOf(fields);
      if (all != fields.isEmpty()) {
        throw new IllegalArgumentException("computed names fields or is all, not both");
      }
      id = all ? (id != null ? id : "computed:all") : Defaults.id(id, "computed", fields);
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Computed(List<String> fields) {
      this(fields, false, null, null, null);
    }

    /** {@code computed: all}. */
    public static Computed ofAll() {
      return new Computed(List.of(), true, null, null, null);
    }

    @Override
    public String type() {
      return "computed";
    }
  }

  /**
   * Near-duplicate records: the named fields, normalised (case, accents, punctuation, spaces) and
   * joined, score at least {@code threshold} (Jaro-Winkler, 0 to 1) against another record whose
   * {@code same} fields are equal. The id names the compared fields only.
   */
  record Similar(
      List<String> compared,
      double threshold,
      List<String> same,
      String id,
      Severity severity,
      Location location)
      implements CheckSpec {
    public static final double DEFAULT_THRESHOLD = 0.9;

    public Similar {
      compared = List.copyOf(compared);
      same = same == null ? List.of() : List.copyOf(same);
      if (compared.isEmpty()) {
        throw new IllegalArgumentException("similar needs at least one field");
      }
      if (!(threshold >= 0 && threshold <= 1)) {
        throw new IllegalArgumentException("similar threshold must be between 0 and 1");
      }
      id = Defaults.id(id, "similar", compared);
      severity = Defaults.severity(severity);
      location = Defaults.location(location);
    }

    public Similar(List<String> compared, double threshold, List<String> same) {
      this(compared, threshold, same, null, null, null);
    }

    @Override
    public String type() {
      return "similar";
    }

    /** The compared fields, then the {@code same} ones. */
    @Override
    public List<String> fields() {
      List<String> all = new java.util.ArrayList<>(compared);
      all.addAll(same);
      return List.copyOf(all);
    }
  }
}
