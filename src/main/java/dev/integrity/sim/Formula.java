package dev.integrity.sim;

import dev.integrity.model.AirtableRecord;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The part of Airtable's formula language the simulator evaluates in {@code filterByFormula} and
 * views: {@code REGEX_MATCH(text, "regex")}, {@code RECORD_ID()}, {@code NOT(x)}, {@code AND(x,
 * …)}, {@code OR(x, …)}, {@code TRUE()}, {@code FALSE()}, field references {@code {Name}}, text and
 * number literals, and comparisons with {@code =} and {@code !=}. That covers the fetch planner's
 * record-id partitions and simple user filters. Anything else is refused with {@link
 * InvalidFormulaException} (the API answers 422 INVALID_FILTER_BY_FORMULA) rather than ignored, so
 * a test never passes on records a real base would not have sent. Immutable and thread-safe once
 * parsed.
 */
public final class Formula {
  private final String text;
  private final Node root;

  private Formula(String text, Node root) {
    this.text = text;
    this.root = root;
  }

  /** A formula this simulator cannot evaluate, or one Airtable would refuse. */
  public static final class InvalidFormulaException extends RuntimeException {
    InvalidFormulaException(String message) {
      super(message);
    }
  }

  /**
   * Parses a formula; {@code fieldNames} are the table's fields (a reference to another is an
   * error, as in Airtable), or null to accept any name.
   *
   * @throws InvalidFormulaException saying what is not understood and where
   */
  public static Formula parse(String text, Set<String> fieldNames) {
    Parser p = new Parser(text, fieldNames);
    Node root = p.comparison();
    p.skipSpace();
    if (p.pos < text.length()) {
      throw p.error("unexpected '" + text.charAt(p.pos) + "'");
    }
    return new Formula(text, root);
  }

  /** Whether the record is selected: the formula's value is truthy, as Airtable counts it. */
  public boolean matches(AirtableRecord record) {
    return truthy(root.eval(record));
  }

  /** A predicate over records, for filtering a list. */
  public Predicate<AirtableRecord> predicate() {
    return this::matches;
  }

  @Override
  public String toString() {
    return text;
  }

  private interface Node {
    Object eval(AirtableRecord r);
  }

  /** A text or number written in the formula. */
  private record Literal(Object value) implements Node {
    @Override
    public Object eval(AirtableRecord r) {
      return value;
    }
  }

  private static boolean truthy(Object v) {
    return switch (v) {
      case null -> false;
      case Boolean b -> b;
      case BigDecimal n -> n.signum() != 0;
      case String s -> !s.isEmpty();
      default -> true;
    };
  }

  /** A cell as a formula sees it: lists joined with ", ", numbers as numbers, absent as blank. */
  private static Object cell(Object value) {
    return switch (value) {
      case null -> "";
      case Number n -> new BigDecimal(n.toString());
      case Boolean b -> b;
      case List<?> l -> l.stream().map(x -> text(cell(x))).collect(Collectors.joining(", "));
      default -> value.toString();
    };
  }

  private static String text(Object v) {
    return switch (v) {
      case null -> "";
      case BigDecimal n -> n.stripTrailingZeros().toPlainString();
      case Boolean b -> b ? "1" : "0";
      default -> v.toString();
    };
  }

  private static boolean same(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    BigDecimal x = number(a);
    BigDecimal y = number(b);
    if ((a instanceof BigDecimal || b instanceof BigDecimal) && x != null && y != null) {
      return x.compareTo(y) == 0;
    }
    return text(a).equals(text(b));
  }

  private static BigDecimal number(Object v) {
    if (v instanceof BigDecimal n) {
      return n;
    }
    try {
      return new BigDecimal(text(v).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static final class Parser {
    private static final Set<String> FUNCTIONS =
        Set.of("REGEX_MATCH", "RECORD_ID", "NOT", "AND", "OR", "TRUE", "FALSE");

    final String text;
    final Set<String> fieldNames;
    int pos;

    Parser(String text, Set<String> fieldNames) {
      this.text = text;
      this.fieldNames = fieldNames;
    }

    InvalidFormulaException error(String what) {
      return new InvalidFormulaException(
          "The formula for filtering records is invalid: "
              + what
              + " at position "
              + pos
              + " of "
              + text
              + " (this simulator evaluates REGEX_MATCH, RECORD_ID, NOT, AND, OR, TRUE, FALSE,"
              + " {Field}, 'text', numbers, = and !=; it refuses other formulas rather than"
              + " ignore them)");
    }

    void skipSpace() {
      while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
        pos++;
      }
    }

    boolean take(String token) {
      skipSpace();
      if (text.startsWith(token, pos)) {
        pos += token.length();
        return true;
      }
      return false;
    }

    void expect(String token) {
      if (!take(token)) {
        throw error("expected '" + token + "'");
      }
    }

    Node comparison() {
      Node left = term();
      if (take("!=")) {
        Node right = term();
        return r -> !same(left.eval(r), right.eval(r));
      }
      if (take("=")) {
        Node right = term();
        return r -> same(left.eval(r), right.eval(r));
      }
      return left;
    }

    Node term() {
      skipSpace();
      if (pos >= text.length()) {
        throw error("unexpected end");
      }
      char c = text.charAt(pos);
      if (c == '{') {
        int end = text.indexOf('}', pos + 1);
        if (end < 0) {
          throw error("unclosed {");
        }
        String name = text.substring(pos + 1, end);
        if (fieldNames != null && !fieldNames.contains(name)) {
          throw error("Unknown field names: " + name.toLowerCase(Locale.ROOT));
        }
        pos = end + 1;
        return r -> cell(r.fields().get(name));
      }
      if (c == '"' || c == '\'') {
        return new Literal(string(c));
      }
      if (Character.isDigit(c) || c == '-') {
        int start = pos++;
        while (pos < text.length()
            && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
          pos++;
        }
        try {
          return new Literal(new BigDecimal(text.substring(start, pos)));
        } catch (NumberFormatException e) {
          throw error("bad number");
        }
      }
      if (Character.isLetter(c)) {
        int start = pos;
        while (pos < text.length()
            && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
          pos++;
        }
        String name = text.substring(start, pos).toUpperCase(Locale.ROOT);
        if (!FUNCTIONS.contains(name)) {
          pos = start;
          throw error("unknown function " + text.substring(start, start + name.length()));
        }
        expect("(");
        List<Node> args = new ArrayList<>();
        if (!take(")")) {
          do {
            args.add(comparison());
          } while (take(","));
          expect(")");
        }
        return function(name, args, start);
      }
      throw error("unexpected '" + c + "'");
    }

    private Node function(String name, List<Node> args, int at) {
      switch (name) {
        case "RECORD_ID" -> {
          arity(name, args, 0, at);
          return AirtableRecord::id;
        }
        case "TRUE", "FALSE" -> {
          arity(name, args, 0, at);
          boolean value = name.equals("TRUE");
          return r -> value;
        }
        case "NOT" -> {
          arity(name, args, 1, at);
          Node x = args.getFirst();
          return r -> !truthy(x.eval(r));
        }
        case "AND", "OR" -> {
          if (args.isEmpty()) {
            pos = at;
            throw error(name + " needs at least one argument");
          }
          List<Node> xs = List.copyOf(args);
          boolean and = name.equals("AND");
          return r -> {
            for (Node x : xs) {
              if (truthy(x.eval(r)) != and) {
                return !and;
              }
            }
            return and;
          };
        }
        case "REGEX_MATCH" -> {
          arity(name, args, 2, at);
          Node subject = args.get(0);
          if (!(args.get(1) instanceof Literal regex)) {
            pos = at;
            throw error("REGEX_MATCH's pattern must be written as text here");
          }
          Pattern compiled = compile(text(regex.value()), at);
          return r -> compiled.matcher(text(subject.eval(r))).find();
        }
        default -> throw new IllegalStateException("unhandled function " + name);
      }
    }

    private Pattern compile(String regex, int at) {
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        pos = at;
        throw error("bad regular expression " + regex);
      }
    }

    private void arity(String name, List<Node> args, int n, int at) {
      if (args.size() != n) {
        pos = at;
        throw error(name + " takes " + n + " arguments, got " + args.size());
      }
    }

    private String string(char quote) {
      StringBuilder out = new StringBuilder();
      pos++;
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '\\' && pos < text.length()) {
          out.append(text.charAt(pos++));
        } else if (c == quote) {
          return out.toString();
        } else {
          out.append(c);
        }
      }
      throw error("unclosed text");
    }
  }
}
