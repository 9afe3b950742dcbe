package dev.integrity.check;

import com.google.re2j.Pattern;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.integrity.common.Texts;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.RuleLanguage;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.EntityCoverage;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A check ready to run: patterns and programs compiled once. Immutable and thread-safe; per-run
 * state lives in {@link Evaluation} and {@link UniqueCheck.Tally}.
 */
sealed interface CompiledCheck {
  CheckSpec spec();

  /**
   * The parts of this check that cannot run with the link targets of this run ({@code
   * recordIdsByEntity}: the record ids of each fetched entity; an absent key, not fetched); empty
   * when it runs whole. The store keeps the earlier issues of those parts open instead of resolving
   * them, so a check that reads another entity must say here what it skips without it.
   */
  default List<EntityCoverage.NotEvaluated> notEvaluated(
      Map<String, Set<String>> recordIdsByEntity) {
    return List.of();
  }

  /** A check that judges each record on its own. */
  sealed interface PerRecord extends CompiledCheck {
    void check(AirtableRecord record, Evaluation evaluation);
  }

  private static void report(
      Evaluation evaluation, AirtableRecord record, CheckSpec spec, String field, String message) {
    evaluation.report(
        record.id(), spec.id(), field, spec.severity(), message, value(record, field));
  }

  /**
   * The offending value whole, as text: the field's value; for a composite field ({@code A+B}) the
   * values joined with {@code " + "}; for a dangling link ({@code Field:recX}) the id; null when
   * the field names no value of the record (a missing field).
   */
  static String value(AirtableRecord record, String field) {
    if (field == null) {
      return null;
    }
    Map<String, Object> fields = record.fields();
    if (fields.containsKey(field)) {
      Object v = fields.get(field);
      return v == null ? null : Values.text(v);
    }
    int colon = field.indexOf(':');
    if (colon > 0 && fields.containsKey(field.substring(0, colon))) {
      return field.substring(colon + 1);
    }
    if (field.indexOf('+') > 0) {
      StringBuilder out = new StringBuilder();
      for (String part : field.split("\\+")) {
        if (!out.isEmpty()) {
          out.append(" + ");
        }
        out.append(Values.text(fields.get(part)));
      }
      return out.toString();
    }
    return null;
  }

  /** A per-value check's test of one element; the check itself implements it (no allocation). */
  interface ValueTest {
    boolean accepts(Object element);
  }

  /**
   * The per-value checks (allowed, pattern, format): each present element of the field (every value
   * of a multi-select or lookup) must pass {@code ok}; the failing ones make one issue, worded with
   * {@code one} or {@code many} after the values.
   */
  private static void checkEachValue(
      AirtableRecord record,
      Evaluation evaluation,
      CheckSpec spec,
      String field,
      ValueTest ok,
      String one,
      String many) {
    Object value = record.fields().get(field);
    if (Values.isEmpty(value)) {
      return;
    }
    List<Object> bad = null;
    for (Object element : Values.elements(value)) {
      if (!Values.isEmpty(element) && !ok.accepts(element)) {
        bad = add(bad, element);
      }
    }
    if (bad != null) {
      report(
          evaluation,
          record,
          spec,
          field,
          field + " " + describe(bad) + " " + (bad.size() == 1 ? one : many));
    }
  }

  /** Up to three offending elements of a list, quoted. */
  private static String describe(List<Object> bad) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < bad.size() && i < 3; i++) {
      if (i > 0) {
        out.append(", ");
      }
      out.append(Values.quote(bad.get(i)));
    }
    if (bad.size() > 3) {
      out.append(" and ").append(bad.size() - 3).append(" more");
    }
    return out.toString();
  }

  record RequiredCheck(CheckSpec.Required spec) implements PerRecord {
    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      Map<String, Object> fields = record.fields();
      for (String field : spec.fields()) {
        Object value = fields.get(field);
        if (value == null) {
          report(evaluation, record, spec, field, field + " is missing");
        } else if (Values.isEmpty(value)) {
          report(evaluation, record, spec, field, field + " is empty: " + Values.quote(value));
        }
      }
    }
  }

  /** {@code one} and {@code many} are the wording, built once rather than per record. */
  record AllowedCheck(CheckSpec.Allowed spec, Set<String> values, String one, String many)
      implements PerRecord, ValueTest {
    static AllowedCheck of(CheckSpec.Allowed spec) {
      String valuesText = Values.shorten(String.join(", ", spec.values()));
      return new AllowedCheck(
          spec,
          Set.copyOf(spec.values()),
          "is not an allowed value (" + valuesText + ")",
          "are not allowed values (" + valuesText + ")");
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      checkEachValue(record, evaluation, spec, spec.field(), this, one, many);
    }

    @Override
    public boolean accepts(Object element) {
      return values.contains(Values.text(element));
    }
  }

  record PatternCheck(CheckSpec.Pattern spec, Pattern pattern, String one, String many)
      implements PerRecord, ValueTest {
    static PatternCheck of(CheckSpec.Pattern spec) {
      String regex = Values.shorten(spec.regex());
      return new PatternCheck(
          spec, Pattern.compile(spec.regex()), "does not match " + regex, "do not match " + regex);
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      checkEachValue(record, evaluation, spec, spec.field(), this, one, many);
    }

    @Override
    public boolean accepts(Object element) {
      return pattern.matcher(Values.text(element)).find();
    }
  }

  record FormatCheck(CheckSpec.Format spec, String one, String many)
      implements PerRecord, ValueTest {
    static FormatCheck of(CheckSpec.Format spec) {
      String kind = spec.kind().wire();
      return new FormatCheck(spec, "is not a valid " + kind, "are not valid " + kind + "s");
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      checkEachValue(record, evaluation, spec, spec.field(), this, one, many);
    }

    @Override
    public boolean accepts(Object element) {
      // Numbers and booleans are never e-mails or URLs; their text says so.
      String text = Values.text(element);
      return switch (spec.kind()) {
        case EMAIL -> Values.isEmail(text);
        case URL -> Values.isUrl(text);
        case PHONE -> Values.isPhone(text);
        case DATE -> element instanceof String && Values.isDate(text);
      };
    }
  }

  record RangeCheck(
      CheckSpec.Range spec,
      BigDecimal minNumber,
      BigDecimal maxNumber,
      LocalDate minDate,
      LocalDate maxDate)
      implements PerRecord {
    static RangeCheck of(CheckSpec.Range spec) {
      return new RangeCheck(
          spec,
          spec.min() instanceof CheckSpec.Range.Bound.Number n ? n.value() : null,
          spec.max() instanceof CheckSpec.Range.Bound.Number n ? n.value() : null,
          spec.min() instanceof CheckSpec.Range.Bound.Date d ? d.value() : null,
          spec.max() instanceof CheckSpec.Range.Bound.Date d ? d.value() : null);
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      Object value = record.fields().get(spec.field());
      if (Values.isEmpty(value)) {
        return;
      }
      List<Object> bad = null;
      String reason = null;
      for (Object element : Values.elements(value)) {
        if (Values.isEmpty(element)) {
          continue;
        }
        String why = spec.dates() ? dateProblem(element) : numberProblem(element);
        if (why != null) {
          bad = add(bad, element);
          reason = reason == null ? why : reason;
        }
      }
      if (bad != null) {
        if (bad.size() > 1) {
          reason = "are" + reason.substring(2); // every reason starts with "is"
        }
        report(
            evaluation,
            record,
            spec,
            spec.field(),
            spec.field() + " " + describe(bad) + " " + reason);
      }
    }

    private String numberProblem(Object element) {
      BigDecimal n = Values.number(element);
      if (n == null) {
        return "is not a number";
      }
      if (minNumber != null && n.compareTo(minNumber) < 0) {
        return "is below min " + minNumber.toPlainString();
      }
      if (maxNumber != null && n.compareTo(maxNumber) > 0) {
        return "is above max " + maxNumber.toPlainString();
      }
      return null;
    }

    private String dateProblem(Object element) {
      LocalDate d = Values.date(element);
      if (d == null) {
        return "is not an ISO date";
      }
      if (minDate != null && d.isBefore(minDate)) {
        return "is before min " + minDate;
      }
      if (maxDate != null && d.isAfter(maxDate)) {
        return "is after max " + maxDate;
      }
      return null;
    }
  }

  /**
   * The counts part always runs (issues on the link field itself); the dangling-id part needs the
   * target's record ids and reports each unknown id on the field {@code "<link field>:<id>"}.
   */
  record LinkCheck(CheckSpec.Link spec, String danglingPrefix) implements PerRecord {
    LinkCheck(CheckSpec.Link spec) {
      this(spec, spec.field() + ":");
    }

    /**
     * Without the target's ids no dangling id can be found: the issues whose field starts with the
     * prefix {@link #danglingField} writes are unknown in this run, not resolved.
     */
    @Override
    public List<EntityCoverage.NotEvaluated> notEvaluated(
        Map<String, Set<String>> recordIdsByEntity) {
      return recordIdsByEntity.get(spec.to()) != null
          ? List.of()
          : List.of(new EntityCoverage.NotEvaluated.FieldsStartingWith(spec.id(), danglingPrefix));
    }

    /** The issue field of a linked id that is no record of the target. */
    String danglingField(String id) {
      return danglingPrefix + Texts.shorten(id, 40);
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      Object value = record.fields().get(spec.field());
      List<String> ids = linkedIds(value);
      int count = ids.size();
      if (count < spec.min()) {
        report(
            evaluation,
            record,
            spec,
            spec.field(),
            spec.field() + " links " + count + " record" + plural(count) + ", min " + spec.min());
      } else if (count > spec.max()) {
        report(
            evaluation,
            record,
            spec,
            spec.field(),
            spec.field() + " links " + count + " record" + plural(count) + ", max " + spec.max());
      }
      Set<String> targets = evaluation.recordIds(spec.to());
      if (targets == null || count == 0) {
        return;
      }
      Set<String> seen = count > 1 ? new HashSet<>() : null;
      for (String id : ids) {
        if (!targets.contains(id) && (seen == null || seen.add(id))) {
          report(
              evaluation,
              record,
              spec,
              danglingField(id),
              spec.field()
                  + " links "
                  + Values.quote(id)
                  + ", which is not a record of "
                  + spec.to());
        }
      }
    }

    /** Linked ids: strings as sent, objects by their "id"; blanks ignored. */
    static List<String> linkedIds(Object value) {
      if (Values.isEmpty(value)) {
        return List.of();
      }
      List<?> elements = Values.elements(value);
      List<String> ids = new ArrayList<>(elements.size());
      for (Object element : elements) {
        Object id = element instanceof Map<?, ?> m && m.get("id") != null ? m.get("id") : element;
        if (!Values.isEmpty(id)) {
          ids.add(Values.text(id));
        }
      }
      return ids;
    }

    private static String plural(int n) {
      return n == 1 ? "" : "s";
    }
  }

  /**
   * A CEL rule over the record. A rule that reads another entity (through {@code linked(r, …)})
   * cannot judge any record without that entity's records: it must then say so in {@link
   * #notEvaluated}, as the whole check ({@link EntityCoverage.NotEvaluated.WholeCheck}).
   *
   * @param targets the entities the rule reads through {@code linked(r, …)}: without the records of
   *     one of them (a {@link TargetRecords} in the run's link targets) the rule does not run at
   *     all
   * @param operations the rule's comparison and arithmetic operators, to tell CEL's type errors as
   *     which field held what ({@link RuleErrors})
   */
  record RuleCheck(
      CheckSpec.Rule spec,
      CelRuntime.Program program,
      List<String> fields,
      String field,
      Set<String> targets,
      List<RuleLanguage.Operation> operations)
      implements PerRecord {
    public RuleCheck {
      targets = Set.copyOf(targets);
      operations = List.copyOf(operations);
    }

    static RuleCheck of(CheckSpec.Rule spec, CelRuntime.Program program) {
      return of(spec, program, Set.of());
    }

    static RuleCheck of(CheckSpec.Rule spec, CelRuntime.Program program, Set<String> targets) {
      List<String> fields = spec.fields();
      return new RuleCheck(
          spec,
          program,
          fields,
          String.join("+", fields),
          targets,
          RuleLanguage.operations(spec.expr()));
    }

    /**
     * A rule through {@code linked} whose target's records are not in this run judges nothing: its
     * earlier issues are unknown, not resolved.
     */
    @Override
    public List<EntityCoverage.NotEvaluated> notEvaluated(
        Map<String, Set<String>> recordIdsByEntity) {
      for (String target : targets) {
        if (!(recordIdsByEntity.get(target) instanceof TargetRecords)) {
          return List.of(new EntityCoverage.NotEvaluated.WholeCheck(spec.id()));
        }
      }
      return List.of();
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      for (String target : targets) {
        if (evaluation.targetRecords(target) == null) {
          return;
        }
      }
      Object result;
      try {
        Map<String, Object> r = evaluation.celRecord(record);
        result = program.eval(name -> name.equals("r") ? Optional.of(r) : Optional.empty());
      } catch (CelEvaluationException | RuntimeException e) {
        // The sentence names the field and its value; CEL's own text is the fallback.
        String explained = RuleErrors.explain(e.getMessage(), operations, record);
        report(
            evaluation,
            record,
            spec,
            field,
            "rule "
                + spec.name()
                + " could not be evaluated: "
                + (explained != null ? explained : errorText(e) + values(record)));
        return;
      }
      if (Boolean.TRUE.equals(result)) {
        return;
      }
      if (Boolean.FALSE.equals(result)) {
        report(
            evaluation, record, spec, field, "rule " + spec.name() + " is false" + values(record));
      } else {
        report(
            evaluation,
            record,
            spec,
            field,
            "rule "
                + spec.name()
                + " returned "
                + (result == null ? "null" : Values.quote(result))
                + ", not true or false");
      }
    }

    /** The values of the fields the expression names, so the reader sees why. */
    private String values(AirtableRecord record) {
      if (fields.isEmpty()) {
        return "";
      }
      StringBuilder out = new StringBuilder(" (");
      for (int i = 0; i < fields.size() && i < 5; i++) {
        if (i > 0) {
          out.append(", ");
        }
        Object v = record.fields().get(fields.get(i));
        out.append(fields.get(i)).append(v == null ? " absent" : " " + Values.quote(v));
      }
      return out.append(')').toString();
    }

    private static String errorText(Exception e) {
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      // "evaluation error at <input>:1: key 'X' is not present in map." -> the useful part
      int at = message.indexOf("<input>:");
      if (message.startsWith("evaluation error") && at > 0) {
        int colon = message.indexOf(": ", at);
        if (colon > 0) {
          message = message.substring(colon + 2);
        }
      }
      return Texts.shorten(message, 160);
    }
  }

  /** Unique values need all records first: a tally per evaluation, then a reporting pass. */
  record UniqueCheck(CheckSpec.Unique spec, String field) implements CompiledCheck {
    static UniqueCheck of(CheckSpec.Unique spec) {
      return new UniqueCheck(spec, String.join("+", spec.fields()));
    }

    Tally tally(int expected) {
      return new Tally(new String[expected], new HashMap<>(Math.max(16, expected * 2)));
    }

    /** Per-evaluation state: each record's key and which records share it. */
    record Tally(String[] keys, Map<String, Object> idsByKey) {}

    /** Records the key of record {@code index} (skipped when any part is empty). */
    void collect(Tally tally, int index, AirtableRecord record) {
      String key = key(record);
      tally.keys()[index] = key;
      if (key == null) {
        return;
      }
      Object ids = tally.idsByKey().get(key);
      if (ids == null) {
        tally.idsByKey().put(key, record.id());
      } else if (ids instanceof String first) {
        List<String> list = new ArrayList<>(2);
        list.add(first);
        list.add(record.id());
        tally.idsByKey().put(key, list);
      } else {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) ids;
        list.add(record.id());
      }
    }

    void report(Tally tally, List<AirtableRecord> records, Evaluation evaluation) {
      for (int i = 0; i < records.size(); i++) {
        String key = tally.keys()[i];
        if (key == null || !(tally.idsByKey().get(key) instanceof List<?> ids)) {
          continue;
        }
        AirtableRecord record = records.get(i);
        CompiledCheck.report(evaluation, record, spec, field, message(record, ids));
      }
    }

    private String message(AirtableRecord record, List<?> ids) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < spec.fields().size(); i++) {
        String f = spec.fields().get(i);
        if (i > 0) {
          out.append(", ");
        }
        if (spec.fields().size() > 1) {
          out.append(f).append(' ');
        }
        out.append(Values.quote(record.fields().get(f)));
      }
      out.append(" is shared by ").append(ids.size()).append(" records (also ");
      int shown = 0;
      // In id order, not listing order: the message is the same whether the records came from one
      // listing, partitions read side by side or an incremental run's mirror.
      for (Object id : ids.stream().map(String::valueOf).sorted().toList()) {
        if (!id.equals(record.id())) {
          if (shown == 3) {
            out.append(", …");
            break;
          }
          out.append(shown > 0 ? ", " : "").append(id);
          shown++;
        }
      }
      return (spec.fields().size() == 1 ? spec.fields().getFirst() + " " : "") + out.append(')');
    }

    private String key(AirtableRecord record) {
      List<String> fields = spec.fields();
      if (fields.size() == 1) {
        Object value = record.fields().get(fields.getFirst());
        return Values.isEmpty(value) ? null : part(value);
      }
      StringBuilder key = new StringBuilder();
      for (String f : fields) {
        Object value = record.fields().get(f);
        if (Values.isEmpty(value)) {
          return null;
        }
        key.append(part(value)).append('\u001F');
      }
      return key.toString();
    }

    private String part(Object value) {
      String text;
      if (value instanceof List<?> list) {
        StringBuilder out = new StringBuilder();
        for (Object e : list) {
          out.append(Values.text(e)).append('\u001E');
        }
        text = out.toString();
      } else {
        text = Values.text(value);
      }
      return spec.normalize() ? normalize(text) : text;
    }

    /** Trim, lower-case, and collapse each run of whitespace into one space. */
    static String normalize(String text) {
      StringBuilder out = new StringBuilder(text.length());
      boolean space = false;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
          space = !out.isEmpty();
        } else {
          if (space) {
            out.append(' ');
            space = false;
          }
          out.append(c);
        }
      }
      return out.toString().toLowerCase(Locale.ROOT);
    }
  }

  /** A check that judges the records of the table together, once all are in. */
  sealed interface WholeTable extends CompiledCheck {
    void check(List<AirtableRecord> records, Evaluation evaluation);
  }

  /**
   * Error values in computed fields; {@code fields} null for {@code computed: all} before the base
   * schema resolved it (then every field of the record that holds an error value, in name order).
   */
  record ComputedCheck(CheckSpec.Computed spec, List<String> fields) implements PerRecord {
    static ComputedCheck of(CheckSpec.Computed spec) {
      return new ComputedCheck(spec, spec.all() ? null : spec.fields());
    }

    @Override
    public void check(AirtableRecord record, Evaluation evaluation) {
      List<String> checked =
          fields != null ? fields : record.fields().keySet().stream().sorted().toList();
      for (String field : checked) {
        Object value = record.fields().get(field);
        if (value == null) {
          continue;
        }
        String problem = ErrorValues.problem(value);
        if (problem != null) {
          report(evaluation, record, spec, field, field + " " + problem);
        }
      }
    }
  }

  /** Near-duplicate records (see {@link NearDuplicates}); {@code field} is the compared fields. */
  record SimilarCheck(CheckSpec.Similar spec, String field) implements WholeTable {
    static SimilarCheck of(CheckSpec.Similar spec) {
      return new SimilarCheck(spec, String.join("+", spec.compared()));
    }

    @Override
    public void check(List<AirtableRecord> records, Evaluation evaluation) {
      List<NearDuplicates.Match>[] matches =
          new NearDuplicates(spec, evaluation.entity(), records).find();
      for (int i = 0; i < records.size(); i++) {
        if (matches[i] != null) {
          report(evaluation, records.get(i), spec, field, message(records, i, matches[i]));
        }
      }
    }

    /** {@code First Name+Last Name 'Jon Smith' is like recB 'John Smith' (0.97), … and 2 more}. */
    private String message(List<AirtableRecord> records, int i, List<NearDuplicates.Match> found) {
      StringBuilder out =
          new StringBuilder(field).append(' ').append(shown(records.get(i))).append(" is like ");
      for (int m = 0; m < found.size() && m < 3; m++) {
        NearDuplicates.Match match = found.get(m);
        AirtableRecord other = records.get(match.other());
        out.append(m > 0 ? ", " : "")
            .append(other.id())
            .append(' ')
            .append(shown(other))
            .append(" (")
            .append(score(match.score()))
            .append(')');
      }
      if (found.size() > 3) {
        out.append(" and ").append(found.size() - 3).append(" more");
      }
      return out.toString();
    }

    /** The compared fields as the record holds them, joined by a space, quoted. */
    private String shown(AirtableRecord record) {
      StringBuilder out = new StringBuilder();
      for (String f : spec.compared()) {
        Object value = record.fields().get(f);
        if (!Values.isEmpty(value)) {
          out.append(out.isEmpty() ? "" : " ").append(Values.text(value).strip());
        }
      }
      return Values.quote(out.toString());
    }

    /** Two decimals, rounded down: a shown score is never above the real one. */
    private static String score(double score) {
      // The epsilon keeps 0.97 from showing as 0.96 when the double is 0.96999…
      return String.format(Locale.ROOT, "%.2f", Math.floor(score * 100 + 1e-9) / 100);
    }
  }

  private static List<Object> add(List<Object> list, Object element) {
    List<Object> out = list == null ? new ArrayList<>(2) : list;
    out.add(element);
    return out;
  }
}
