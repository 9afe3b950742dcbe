package dev.integrity.config;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * The CEL environment of {@code rule} checks, shared by config validation and the check engine so
 * an expression that validates is exactly one that runs: variable {@code r} is a {@code map(string,
 * dyn)} of the record's fields plus {@code r.id}, standard macros ({@code has}, {@code all}, {@code
 * exists}, …) are on, ints and doubles compare with each other, and comprehensions are bounded.
 * Stateless; the CEL instance is immutable and thread-safe.
 */
public final class RuleLanguage {
  /** Bounds {@code all}/{@code exists}/{@code map} over a record's lists so no rule can spin. */
  static final int MAX_COMPREHENSION_ITERATIONS = 100_000;

  private static final java.util.regex.Pattern FIELD_REFERENCE =
      java.util.regex.Pattern.compile(
          "\\br\\s*\\[\\s*(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'((?:[^'\\\\]|\\\\.)*)')\\s*]"
              + "|\\br\\s*\\.\\s*([A-Za-z_][A-Za-z0-9_]*)");

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
          .addVar("r", MapType.create(SimpleType.STRING, SimpleType.DYN))
          .setResultType(SimpleType.BOOL)
          .build();
    }
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
    return null;
  }

  /**
   * The field names an expression reads as {@code r.Name}, {@code r["Name"]} or {@code r['Name']},
   * in order of first use, without {@code id}. A textual scan: good enough to name fields in
   * messages and to check them against the schema; a field reached only through a computed key is
   * not seen.
   */
  public static List<String> referencedFields(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = FIELD_REFERENCE.matcher(expr);
    while (m.find()) {
      String name =
          m.group(1) != null
              ? unescape(m.group(1))
              : m.group(2) != null ? unescape(m.group(2)) : m.group(3);
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
  public record RecordReads(List<String> fields, boolean wholeRecord) {
    public RecordReads {
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
      return new RecordReads(List.copyOf(collector.fields), collector.whole);
    } catch (dev.cel.common.CelValidationException e) {
      return new RecordReads(List.of(), false);
    }
  }

  /** Walks a syntax tree once; {@code shadowed} when a comprehension variable named r hides it. */
  private static final class ReadsCollector {
    final Set<String> fields = new LinkedHashSet<>();
    boolean whole;

    void visit(CelExpr e, boolean shadowed) {
      switch (e.getKind()) {
        case IDENT -> {
          // Reached only when r is not under a constant-key access: it is used whole.
          if (!shadowed && e.ident().name().equals("r")) {
            whole = true;
          }
        }
        case SELECT -> {
          CelExpr.CelSelect select = e.select();
          if (!shadowed && isRecord(select.operand())) {
            field(select.field());
          } else {
            visit(select.operand(), shadowed);
          }
        }
        case CALL -> call(e.call(), shadowed);
        case LIST -> e.list().elements().forEach(x -> visit(x, shadowed));
        case MAP ->
            e.map()
                .entries()
                .forEach(
                    entry -> {
                      visit(entry.key(), shadowed);
                      visit(entry.value(), shadowed);
                    });
        case STRUCT -> e.struct().entries().forEach(entry -> visit(entry.value(), shadowed));
        case COMPREHENSION -> {
          CelExpr.CelComprehension c = e.comprehension();
          visit(c.iterRange(), shadowed);
          visit(c.accuInit(), shadowed);
          boolean inner =
              shadowed
                  || c.iterVar().equals("r")
                  || "r".equals(c.iterVar2())
                  || c.accuVar().equals("r");
          visit(c.loopCondition(), inner);
          visit(c.loopStep(), inner);
          visit(c.result(), inner);
        }
        case CONSTANT, NOT_SET -> {}
      }
    }

    private void call(CelExpr.CelCall call, boolean shadowed) {
      List<CelExpr> args = call.args();
      if (!shadowed && args.size() == 2 && call.target().isEmpty()) {
        // r["Name"] and "Name" in r read one field; a computed key reads the whole record.
        if (call.function().equals("_[_]") && isRecord(args.get(0))) {
          String key = constantString(args.get(1));
          if (key != null) {
            field(key);
            return;
          }
        }
        if (call.function().equals("@in") && isRecord(args.get(1))) {
          String key = constantString(args.get(0));
          if (key != null) {
            field(key);
            return;
          }
        }
      }
      call.target().ifPresent(t -> visit(t, shadowed));
      args.forEach(a -> visit(a, shadowed));
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

  private static String unescape(String s) {
    return s.indexOf('\\') < 0 ? s : s.replaceAll("\\\\(.)", "$1");
  }
}
