package dev.integrity.config;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The CEL environment of {@code rule} checks, shared by config validation and the check engine so
 * an expression that validates is exactly one that runs: variable {@code r} is a {@code map(string,
 * dyn)} of the record's fields plus {@code r.id}, standard macros ({@code has}, {@code all}, {@code
 * exists}, …) are on, ints and doubles compare with each other, and comprehensions are bounded. Two
 * functions of our own: {@code linked(r, "Field")}, the records the link field points to (maps of
 * the target entity's fetched fields plus {@code id}, from the {@link Linkable} record view the
 * check engine passes as {@code r}), and {@code sum(list)}, the sum of numbers. Stateless; the CEL
 * instance is immutable and thread-safe.
 */
public final class RuleLanguage {
  /** Bounds {@code all}/{@code exists}/{@code map} over a record's lists so no rule can spin. */
  static final int MAX_COMPREHENSION_ITERATIONS = 100_000;

  private static final java.util.regex.Pattern FIELD_REFERENCE =
      java.util.regex.Pattern.compile(
          "\\br\\s*\\[\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)')\\s*]"
              + "|\\br\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)"
              + "|\\blinked\\s*\\(\\s*r\\s*,\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)')");

  /** The function that gives a record's linked records. */
  static final String LINKED = "linked";

  /**
   * What CEL's {@code r} must be for {@code linked(r, "Field")} to work: the check engine's record
   * view, which knows the run's fetched records of the link's target entity.
   */
  public interface Linkable {
    /**
     * The records the link field points to, in the order of the field, as maps of the target's
     * fields plus {@code id}; ids that are no record of the target are left out.
     *
     * @throws CelEvaluationException when the field has no link check or the target was not fetched
     */
    List<Map<String, Object>> linked(String field) throws CelEvaluationException;
  }

  private RuleLanguage() {}

  /** Lazily built: the CEL environment costs some time and only rules need it. */
  private static final class Holder {
    static final Cel CEL = build();

    private static Cel build() {
      CelOptions options =
          CelOptions.current()
              .enableHeterogeneousNumericComparisons(true)
              .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
              .build();
      return CelFactory.standardCelBuilder()
          .setOptions(options)
          .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
          .addVar("r", RECORD)
          .addFunctionDeclarations(
              CelFunctionDecl.newFunctionDeclaration(
                  LINKED,
                  CelOverloadDecl.newGlobalOverload(
                      "linked_map_string", ListType.create(RECORD), RECORD, SimpleType.STRING)),
              CelFunctionDecl.newFunctionDeclaration(
                  "sum",
                  CelOverloadDecl.newGlobalOverload(
                      "sum_list", SimpleType.DYN, ListType.create(SimpleType.DYN))))
          .addFunctionBindings(
              CelFunctionBinding.from(
                  "linked_map_string", Map.class, String.class, RuleLanguage::linked),
              CelFunctionBinding.from("sum_list", List.class, RuleLanguage::sum))
          .setResultType(SimpleType.BOOL)
          .build();
    }
  }

  private static final MapType RECORD = MapType.create(SimpleType.STRING, SimpleType.DYN);

  private static Object linked(Map<?, ?> record, String field) throws CelEvaluationException {
    if (record instanceof Linkable linkable) {
      return linkable.linked(field);
    }
    throw new CelEvaluationException(
        "linked(…, \"" + field + "\") takes the record r, not another map");
  }

  /**
   * Ints add as ints (an overflow is an error, not a wrapped number); a double among them makes the
   * sum a double. Anything else is an error naming it, so a text field summed by mistake says so.
   */
  private static Object sum(List<?> values) throws CelEvaluationException {
    long ints = 0;
    double doubles = 0;
    boolean anyDouble = false;
    for (Object v : values) {
      switch (v) {
        case Long l -> {
          try {
            ints = Math.addExact(ints, l);
          } catch (ArithmeticException e) {
            throw new CelEvaluationException("sum overflows an int", e);
          }
        }
        case Double d -> {
          doubles += d;
          anyDouble = true;
        }
        case null -> throw new CelEvaluationException("sum of a list holding null");
        default ->
            throw new CelEvaluationException(
                "sum of a list holding "
                    + (v instanceof String t
                        ? "the text '" + t + "'"
                        : v.getClass().getSimpleName())
                    + ", not a number");
      }
    }
    return anyDouble ? doubles + ints : (Object) ints;
  }

  /**
   * Compiles an expression into a program (thread-safe, reusable for every record).
   *
   * @throws ConfigException naming {@code where} when the expression does not compile
   */
  public static CelRuntime.Program compile(String expr, Location where) {
    String error = compileError(expr);
    if (error != null) {
      throw new ConfigException(List.of(ConfigProblem.at(where, error)));
    }
    try {
      return Holder.CEL.createProgram(Holder.CEL.compile(expr).getAst());
    } catch (CelEvaluationException | dev.cel.common.CelValidationException e) {
      throw new ConfigException(
          List.of(ConfigProblem.at(where, "rule expression cannot run: " + e.getMessage())));
    }
  }

  /** Null when the expression compiles, else CEL's explanation (with a caret under the spot). */
  static String compileError(String expr) {
    if (expr == null || expr.isBlank()) {
      return "rule expression is empty";
    }
    CelValidationResult result = Holder.CEL.compile(expr);
    if (result.hasError()) {
      return "rule expression does not compile: " + result.getErrorString();
    }
    try {
      return new ReadsCollector().linkedCallProblem(result.getAst().getExpr());
    } catch (dev.cel.common.CelValidationException e) {
      return "rule expression does not compile: " + e.getMessage();
    }
  }

  /**
   * The field names an expression reads as {@code r.Name}, {@code r["Name"]}, {@code r['Name']} or
   * {@code linked(r, "Name")}, in order of first use, without {@code id}. A textual scan: good
   * enough to name fields in messages and to check them against the schema; a field reached only
   * through a computed key is not seen.
   */
  public static List<String> referencedFields(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = FIELD_REFERENCE.matcher(expr);
    while (m.find()) {
      String name = null;
      for (int g = 1; name == null && g <= 5; g++) {
        name = g == 3 ? m.group(g) : m.group(g) == null ? null : unescape(m.group(g));
      }
      if (!name.equals("id")) {
        names.add(name);
      }
    }
    return List.copyOf(new ArrayList<>(names));
  }

  /**
   * What a rule reads of its record, for field projection: the fields it names, and whether it
   * needs the record as a whole (then every field must be fetched). Immutable.
   *
   * @param fields the fields read as {@code r.Name}, {@code r["Name"]}, {@code has(r.Name)} or
   *     {@code "Name" in r}, in order of first use, without {@code id} (the record id)
   * @param wholeRecord true when {@code r} is used other than through a constant key: passed to a
   *     function ({@code size(r)}), iterated ({@code r.exists(k, …)}), compared, or indexed by a
   *     computed key ({@code r[k]})
   */
  public record RecordReads(
      List<String> fields, boolean wholeRecord, Map<String, TargetReads> linked) {
    public RecordReads {
      fields = List.copyOf(fields);
      linked = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(linked));
    }

    public RecordReads(List<String> fields, boolean wholeRecord) {
      this(fields, wholeRecord, Map.of());
    }
  }

  /**
   * What a rule reads of the records that one link field points to, through {@code linked(r,
   * "Field")}: the fields it names ({@code t.Status} inside {@code linked(r, "Teacher").all(t, …)},
   * or {@code linked(r, "Teacher")[0].Status}), and whether it uses such a record whole (then every
   * field of the target must be fetched). Immutable.
   */
  public record TargetReads(List<String> fields, boolean wholeRecord) {
    public TargetReads {
      fields = List.copyOf(fields);
    }
  }

  /**
   * What an expression reads of {@code r}, from its parsed and checked CEL syntax tree (macros
   * expanded, so {@code has(r.X)} is a presence test of X and {@code r.all(k, …)} iterates r). An
   * expression that does not compile reads nothing here; validation reports it.
   */
  public static RecordReads recordReads(String expr) {
    if (expr == null || expr.isBlank()) {
      return new RecordReads(List.of(), false);
    }
    CelValidationResult result = Holder.CEL.compile(expr);
    if (result.hasError()) {
      return new RecordReads(List.of(), false);
    }
    try {
      ReadsCollector collector = new ReadsCollector();
      collector.visit(result.getAst().getExpr(), false);
      Map<String, TargetReads> linked = new LinkedHashMap<>();
      collector.targetFields.forEach(
          (field, names) ->
              linked.put(
                  field,
                  new TargetReads(List.copyOf(names), collector.targetWhole.contains(field))));
      return new RecordReads(List.copyOf(collector.fields), collector.whole, linked);
    } catch (dev.cel.common.CelValidationException e) {
      return new RecordReads(List.of(), false);
    }
  }

  /**
   * Walks a syntax tree once. {@code shadowed}: a comprehension variable named r hides the record;
   * {@code bound}: the comprehension variables that stand for one linked record, by link field
   * ({@code t} in {@code linked(r, "Teacher").all(t, …)}). A linked list is {@code linked(r, "F")}
   * or a {@code filter} of one. A linked record or list used in any other way than through a
   * constant key, {@code size}, an index or iteration counts as used whole: reading every field of
   * the target is slower, never wrong.
   */
  private static final class ReadsCollector {
    final Set<String> fields = new LinkedHashSet<>();
    boolean whole;
    final Map<String, Set<String>> targetFields = new LinkedHashMap<>();
    final Set<String> targetWhole = new HashSet<>();

    void visit(CelExpr e, boolean shadowed) {
      visit(e, shadowed, Map.of());
    }

    private void visit(CelExpr e, boolean shadowed, Map<String, String> bound) {
      switch (e.getKind()) {
        case IDENT -> {
          // Reached only when r is not under a constant-key access: it is used whole.
          String name = e.ident().name();
          if (!shadowed && name.equals("r")) {
            whole = true;
          }
          if (bound.containsKey(name)) {
            targetWhole.add(bound.get(name));
          }
        }
        case SELECT -> {
          CelExpr.CelSelect select = e.select();
          String link = linkedElement(select.operand(), shadowed, bound);
          if (!shadowed && isRecord(select.operand())) {
            field(select.field());
          } else if (link != null) {
            targetField(link, select.field());
            elementSource(select.operand(), shadowed, bound);
          } else {
            visit(select.operand(), shadowed, bound);
          }
        }
        case CALL -> call(e.call(), shadowed, bound);
        case LIST -> e.list().elements().forEach(x -> visit(x, shadowed, bound));
        case MAP ->
            e.map()
                .entries()
                .forEach(
                    entry -> {
                      visit(entry.key(), shadowed, bound);
                      visit(entry.value(), shadowed, bound);
                    });
        case STRUCT -> e.struct().entries().forEach(entry -> visit(entry.value(), shadowed, bound));
        case COMPREHENSION -> {
          CelExpr.CelComprehension c = e.comprehension();
          String filtered = linkedList(e, shadowed);
          if (filtered != null) {
            // A filtered list of linked records used other than through size, an index or
            // iteration: its records are used whole.
            targetWhole.add(filtered);
            consumeLinkedList(e, shadowed, bound);
            return;
          }
          String link = linkedList(c.iterRange(), shadowed);
          if (link != null) {
            consumeLinkedList(c.iterRange(), shadowed, bound);
          } else {
            visit(c.iterRange(), shadowed, bound);
          }
          visit(c.accuInit(), shadowed, bound);
          boolean twoVars = c.iterVar2() != null && !c.iterVar2().isEmpty();
          boolean inner =
              shadowed
                  || c.iterVar().equals("r")
                  || (twoVars && c.iterVar2().equals("r"))
                  || c.accuVar().equals("r");
          Map<String, String> innerBound = new HashMap<>(bound);
          innerBound.remove(c.iterVar());
          innerBound.remove(c.accuVar());
          if (twoVars) {
            innerBound.remove(c.iterVar2());
          }
          if (link != null) {
            // Over a list, the one variable is the element; of two, the second is.
            innerBound.put(twoVars ? c.iterVar2() : c.iterVar(), link);
          }
          visit(c.loopCondition(), inner, innerBound);
          visit(c.loopStep(), inner, innerBound);
          visit(c.result(), inner, innerBound);
        }
        case CONSTANT, NOT_SET -> {}
      }
    }

    private void call(CelExpr.CelCall call, boolean shadowed, Map<String, String> bound) {
      List<CelExpr> args = call.args();
      String function = call.function();
      if (!shadowed && args.size() == 2 && call.target().isEmpty()) {
        // r["Name"] and "Name" in r read one field; a computed key reads the whole record.
        if (function.equals("_[_]") && isRecord(args.get(0))) {
          String key = constantString(args.get(1));
          if (key != null) {
            field(key);
            return;
          }
        }
        if (function.equals("@in") && isRecord(args.get(1))) {
          String key = constantString(args.get(0));
          if (key != null) {
            field(key);
            return;
          }
        }
      }
      if (args.size() == 2 && call.target().isEmpty()) {
        // t["Status"] and "Status" in t read one field of a linked record.
        int element = function.equals("_[_]") ? 0 : function.equals("@in") ? 1 : -1;
        if (element >= 0) {
          String link = linkedElement(args.get(element), shadowed, bound);
          String key = constantString(args.get(1 - element));
          if (link != null && key != null) {
            targetField(link, key);
            elementSource(args.get(element), shadowed, bound);
            return;
          }
        }
      }
      // size(linked(r, "F")) counts the links and reads none of the targets' fields.
      if (function.equals("size")) {
        CelExpr of = call.target().orElse(args.size() == 1 ? args.get(0) : null);
        String link = of == null ? null : linkedList(of, shadowed);
        if (link != null && (call.target().isEmpty() || args.isEmpty())) {
          consumeLinkedList(of, shadowed, bound);
          return;
        }
      }
      if (function.equals(LINKED)) {
        String link = linkedList(call, shadowed);
        if (link != null) {
          linkField(link);
          targetWhole.add(link);
          return;
        }
      }
      call.target().ifPresent(t -> visit(t, shadowed, bound));
      args.forEach(a -> visit(a, shadowed, bound));
    }

    /**
     * The link field when {@code e} is {@code linked(r, "Field")} or a {@code filter} of such a
     * list, else null.
     */
    private static String linkedList(CelExpr e, boolean shadowed) {
      return switch (e.getKind()) {
        case CALL -> linkedList(e.call(), shadowed);
        case COMPREHENSION ->
            isFilter(e.comprehension())
                ? linkedList(e.comprehension().iterRange(), shadowed)
                : null;
        default -> null;
      };
    }

    private static String linkedList(CelExpr.CelCall call, boolean shadowed) {
      if (!shadowed
          && call.function().equals(LINKED)
          && call.target().isEmpty()
          && call.args().size() == 2
          && isRecord(call.args().get(0))) {
        return constantString(call.args().get(1));
      }
      return null;
    }

    /**
     * The link field when {@code e} is one linked record: a variable bound to one, or {@code
     * linked(r, "Field")[i]}.
     */
    private static String linkedElement(CelExpr e, boolean shadowed, Map<String, String> bound) {
      if (e.getKind() == CelExpr.ExprKind.Kind.IDENT) {
        return bound.get(e.ident().name());
      }
      if (e.getKind() == CelExpr.ExprKind.Kind.CALL
          && e.call().function().equals("_[_]")
          && e.call().target().isEmpty()
          && e.call().args().size() == 2) {
        return linkedList(e.call().args().get(0), shadowed);
      }
      return null;
    }

    /** Notes the link field a linked record came from, and visits the index of {@code […][i]}. */
    private void elementSource(CelExpr e, boolean shadowed, Map<String, String> bound) {
      if (e.getKind() == CelExpr.ExprKind.Kind.CALL) {
        consumeLinkedList(e.call().args().get(0), shadowed, bound);
        visit(e.call().args().get(1), shadowed, bound);
      }
    }

    /**
     * Visits a list of linked records where it is counted, indexed or iterated: {@code linked(r,
     * "F")} reads only the link field; {@code linked(r, "F").filter(t, cond)} reads what its
     * condition reads of {@code t}.
     */
    private void consumeLinkedList(CelExpr e, boolean shadowed, Map<String, String> bound) {
      if (e.getKind() != CelExpr.ExprKind.Kind.COMPREHENSION) {
        linkField(linkedList(e, shadowed));
        return;
      }
      CelExpr.CelComprehension c = e.comprehension();
      String link = linkedList(c.iterRange(), shadowed);
      consumeLinkedList(c.iterRange(), shadowed, bound);
      boolean inner = shadowed || c.iterVar().equals("r") || c.accuVar().equals("r");
      Map<String, String> innerBound = new HashMap<>(bound);
      innerBound.remove(c.accuVar());
      innerBound.put(c.iterVar(), link);
      // The condition alone: the rest of the step only appends the element to the result.
      visit(c.loopStep().call().args().get(0), inner, innerBound);
    }

    /**
     * Whether a comprehension is the expansion of {@code list.filter(x, cond)}: its step is exactly
     * {@code cond ? accu + [x] : accu} and its result the accumulator, so its value is a sublist of
     * the list's own elements.
     */
    private static boolean isFilter(CelExpr.CelComprehension c) {
      boolean oneVar = c.iterVar2() == null || c.iterVar2().isEmpty();
      CelExpr step = c.loopStep();
      if (!oneVar
          || !isIdent(c.result(), c.accuVar())
          || step.getKind() != CelExpr.ExprKind.Kind.CALL
          || !step.call().function().equals("_?_:_")
          || step.call().args().size() != 3
          || !isIdent(step.call().args().get(2), c.accuVar())) {
        return false;
      }
      CelExpr add = step.call().args().get(1);
      if (add.getKind() != CelExpr.ExprKind.Kind.CALL
          || !add.call().function().equals("_+_")
          || add.call().args().size() != 2
          || !isIdent(add.call().args().get(0), c.accuVar())) {
        return false;
      }
      CelExpr appended = add.call().args().get(1);
      return appended.getKind() == CelExpr.ExprKind.Kind.LIST
          && appended.list().elements().size() == 1
          && isIdent(appended.list().elements().get(0), c.iterVar());
    }

    private static boolean isIdent(CelExpr e, String name) {
      return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(name);
    }

    private void linkField(String link) {
      field(link);
      targetFields.computeIfAbsent(link, k -> new LinkedHashSet<>());
    }

    private void targetField(String link, String name) {
      targetFields.computeIfAbsent(link, k -> new LinkedHashSet<>());
      if (!name.equals("id")) {
        targetFields.get(link).add(name);
      }
    }

    /**
     * Null when every {@code linked} call reads {@code linked(r, "Field")}, else what is wrong: the
     * field must be a constant so that the run knows, before fetching, which entity to wait for.
     */
    String linkedCallProblem(CelExpr e) {
      List<String> problems = new ArrayList<>();
      forEachCall(
          e,
          call -> {
            if (call.function().equals(LINKED)
                && (call.target().isPresent()
                    || call.args().size() != 2
                    || !isRecord(call.args().get(0))
                    || constantString(call.args().get(1)) == null)) {
              problems.add(
                  "linked takes the record and a link field's name in quotes, as in"
                      + " linked(r, \"Teacher\")");
            }
          });
      return problems.isEmpty() ? null : problems.get(0);
    }

    private static void forEachCall(CelExpr e, java.util.function.Consumer<CelExpr.CelCall> f) {
      switch (e.getKind()) {
        case CALL -> {
          f.accept(e.call());
          e.call().target().ifPresent(t -> forEachCall(t, f));
          e.call().args().forEach(a -> forEachCall(a, f));
        }
        case SELECT -> forEachCall(e.select().operand(), f);
        case LIST -> e.list().elements().forEach(x -> forEachCall(x, f));
        case MAP ->
            e.map()
                .entries()
                .forEach(
                    entry -> {
                      forEachCall(entry.key(), f);
                      forEachCall(entry.value(), f);
                    });
        case STRUCT -> e.struct().entries().forEach(entry -> forEachCall(entry.value(), f));
        case COMPREHENSION -> {
          CelExpr.CelComprehension c = e.comprehension();
          for (CelExpr x :
              List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
            forEachCall(x, f);
          }
        }
        case IDENT, CONSTANT, NOT_SET -> {}
      }
    }

    private void field(String name) {
      if (!name.equals("id")) {
        fields.add(name);
      }
    }

    private static boolean isRecord(CelExpr e) {
      return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals("r");
    }

    private static String constantString(CelExpr e) {
      if (e.getKind() == CelExpr.ExprKind.Kind.CONSTANT
          && e.constant().getKind() == CelConstant.Kind.STRING_VALUE) {
        return e.constant().stringValue();
      }
      return null;
    }
  }

  /** CEL's comparison and arithmetic operators: the ones a text value in a number's place fails. */
  private static final Set<String> OPERATORS =
      Set.of("_<_", "_<=_", "_>_", "_>=_", "_+_", "_-_", "_*_", "_/_", "_%_", "-_");

  /**
   * A comparison or arithmetic operator in a rule, kept so that an evaluation error CEL words as
   * "No matching overload for function '_>=_'" can be told as which field held what. Immutable.
   *
   * @param function CEL's name of the operator, e.g. {@code _>=_}
   * @param offset where the operator stands in the expression, the position CEL's evaluation errors
   *     name ({@code <input>:41}); -1 when unknown
   * @param operands left to right
   */
  public record Operation(String function, int offset, List<Operand> operands) {
    public Operation {
      operands = List.copyOf(operands);
    }

    /** The operator as written: {@code >=}, {@code +}, {@code -}. */
    public String symbol() {
      return function.replace("_", "");
    }

    /** Whether it compares (else it computes). */
    public boolean compares() {
      return function.contains("<") || function.contains(">");
    }
  }

  /** An operand of an {@link Operation}, as far as the syntax tells. */
  public sealed interface Operand {
    /** A field of the record: {@code r.Name} or {@code r["Name"]}. */
    record Field(String name) implements Operand {}

    /** A literal: a Long, Double, String or Boolean. */
    record Constant(Object value) implements Operand {}

    /** Anything else: a call, a linked record's field, another operator's result. */
    record Other() implements Operand {}
  }

  /**
   * The comparison and arithmetic operators of an expression with their operands, in no particular
   * order; empty when the expression does not compile.
   */
  public static List<Operation> operations(String expr) {
    if (expr == null || expr.isBlank()) {
      return List.of();
    }
    CelValidationResult result = Holder.CEL.compile(expr);
    if (result.hasError()) {
      return List.of();
    }
    try {
      var ast = result.getAst();
      Map<Long, Integer> positions = ast.getSource().getPositionsMap();
      List<Operation> found = new ArrayList<>();
      collectOperations(ast.getExpr(), false, positions, found);
      return List.copyOf(found);
    } catch (dev.cel.common.CelValidationException e) {
      return List.of();
    }
  }

  /** {@code shadowed}: inside a comprehension whose variable is named r, r is not the record. */
  private static void collectOperations(
      CelExpr e, boolean shadowed, Map<Long, Integer> positions, List<Operation> found) {
    switch (e.getKind()) {
      case CALL -> {
        CelExpr.CelCall call = e.call();
        if (OPERATORS.contains(call.function()) && call.target().isEmpty()) {
          List<Operand> operands = new ArrayList<>();
          for (CelExpr arg : call.args()) {
            operands.add(operand(arg, shadowed));
          }
          found.add(new Operation(call.function(), positions.getOrDefault(e.id(), -1), operands));
        }
        call.target().ifPresent(t -> collectOperations(t, shadowed, positions, found));
        call.args().forEach(a -> collectOperations(a, shadowed, positions, found));
      }
      case SELECT -> collectOperations(e.select().operand(), shadowed, positions, found);
      case LIST ->
          e.list().elements().forEach(x -> collectOperations(x, shadowed, positions, found));
      case MAP ->
          e.map()
              .entries()
              .forEach(
                  entry -> {
                    collectOperations(entry.key(), shadowed, positions, found);
                    collectOperations(entry.value(), shadowed, positions, found);
                  });
      case STRUCT ->
          e.struct()
              .entries()
              .forEach(entry -> collectOperations(entry.value(), shadowed, positions, found));
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = e.comprehension();
        collectOperations(c.iterRange(), shadowed, positions, found);
        boolean inner = shadowed || c.iterVar().equals("r") || c.accuVar().equals("r");
        for (CelExpr x : List.of(c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
          collectOperations(x, inner, positions, found);
        }
      }
      case IDENT, CONSTANT, NOT_SET -> {}
    }
  }

  private static Operand operand(CelExpr e, boolean shadowed) {
    switch (e.getKind()) {
      case SELECT -> {
        CelExpr.CelSelect select = e.select();
        if (!shadowed && !select.testOnly() && ReadsCollector.isRecord(select.operand())) {
          return new Operand.Field(select.field());
        }
      }
      case CALL -> {
        CelExpr.CelCall call = e.call();
        if (!shadowed
            && call.function().equals("_[_]")
            && call.args().size() == 2
            && ReadsCollector.isRecord(call.args().get(0))
            && ReadsCollector.constantString(call.args().get(1)) != null) {
          return new Operand.Field(ReadsCollector.constantString(call.args().get(1)));
        }
      }
      case CONSTANT -> {
        CelConstant c = e.constant();
        Object value =
            switch (c.getKind()) {
              case INT64_VALUE -> c.int64Value();
              case UINT64_VALUE -> c.uint64Value().longValue();
              case DOUBLE_VALUE -> c.doubleValue();
              case STRING_VALUE -> c.stringValue();
              case BOOLEAN_VALUE -> c.booleanValue();
              default -> null;
            };
        if (value != null) {
          return new Operand.Constant(value);
        }
      }
      default -> {}
    }
    return new Operand.Other();
  }

  private static String unescape(String s) {
    return s.indexOf('\\') < 0 ? s : s.replaceAll("\\\\(.)", "$1");
  }
}
