package dev.integrity.config;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
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

  private static String unescape(String s) {
    return s.indexOf('\\') < 0 ? s : s.replaceAll("\\\\(.)", "$1");
  }
}
