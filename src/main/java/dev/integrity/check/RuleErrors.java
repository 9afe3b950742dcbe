package dev.integrity.check;

import dev.integrity.config.RuleLanguage.Operand;
import dev.integrity.config.RuleLanguage.Operation;
import dev.integrity.model.AirtableRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a rule's evaluation error as a person would write it. CEL says "No matching overload for
 * function '_>=_'. Overload candidates: greater_equals_int64, …" when an operator meets a type it
 * does not take, most often a number stored as text: this names the field, its value and its type
 * instead ({@code Capacity is text ('16'), not a number: use int(r.Capacity)}). Stateless.
 */
final class RuleErrors {
  private static final Pattern NO_OVERLOAD =
      Pattern.compile("(?:<input>:(\\d+): )?No matching overload for function '([^']+)'");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  // Words CEL reserves: r.in does not parse, r["in"] does.
  private static final java.util.Set<String> RESERVED =
      java.util.Set.of(
          "true",
          "false",
          "null",
          "in",
          "as",
          "break",
          "const",
          "continue",
          "else",
          "for",
          "function",
          "if",
          "import",
          "let",
          "loop",
          "package",
          "namespace",
          "return",
          "var",
          "void",
          "while");
  // What CEL's int() and double() read: no spaces around, no hex, no "16d".
  private static final Pattern WHOLE = Pattern.compile("[+-]?\\d{1,18}");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][+-]?\\d+)?");

  private RuleErrors() {}

  /**
   * The sentence for CEL's error {@code message} on {@code record}, or null when it is not an
   * operator's type error or names no field of the record (then CEL's own text is the fallback).
   *
   * @param operations the rule's operators ({@link dev.integrity.config.RuleLanguage#operations})
   */
  static String explain(String message, List<Operation> operations, AirtableRecord record) {
    if (message == null) {
      return null;
    }
    Matcher m = NO_OVERLOAD.matcher(message);
    if (!m.find()) {
      return null;
    }
    Operation operation = find(operations, m.group(2), m.group(1));
    return operation == null ? null : explain(operation, record.fields());
  }

  /** The operation at CEL's position, else the only one of that operator. */
  private static Operation find(List<Operation> operations, String function, String offset) {
    List<Operation> same = new ArrayList<>();
    for (Operation o : operations) {
      if (o.function().equals(function)) {
        if (offset != null && o.offset() == Integer.parseInt(offset)) {
          return o;
        }
        same.add(o);
      }
    }
    return same.size() == 1 ? same.getFirst() : null;
  }

  private static String explain(Operation operation, Map<String, Object> fields) {
    List<Object> values = new ArrayList<>();
    boolean anyField = false;
    for (Operand operand : operation.operands()) {
      switch (operand) {
        case Operand.Field f -> {
          Object raw = fields.get(f.name());
          values.add(raw == null ? null : Values.cel(raw));
          anyField = true;
        }
        case Operand.Constant c -> values.add(c.value());
        case Operand.Other o -> values.add(null);
      }
    }
    if (!anyField) {
      return null;
    }
    // A field holding text where a number is wanted: the number it spells, or that it is none.
    boolean otherIsText = false;
    boolean otherIsNumber = false;
    for (int i = 0; i < values.size(); i++) {
      Object v = values.get(i);
      if (!(operation.operands().get(i) instanceof Operand.Field) || !(v instanceof String)) {
        otherIsText |= v instanceof String;
        otherIsNumber |= v instanceof Long || v instanceof Double;
      }
    }
    for (int i = 0; i < values.size(); i++) {
      if (operation.operands().get(i) instanceof Operand.Field f
          && values.get(i) instanceof String text
          && !otherIsText
          && (otherIsNumber || !operation.compares() || number(text) != null)) {
        String sentence = f.name() + " is text (" + Values.quote(text) + "), not a number";
        String convert = number(text);
        return convert == null ? sentence : sentence + ": use " + convert + "(" + ref(f) + ")";
      }
    }
    List<String> described = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      described.add(describe(operation.operands().get(i), values.get(i)));
    }
    return operation.compares()
        ? "'" + operation.symbol() + "' cannot compare " + String.join(" with ", described)
        : "'" + operation.symbol() + "' cannot take " + String.join(" and ", described);
  }

  /** {@code int} or {@code double} when the text spells such a number, else null. */
  private static String number(String text) {
    if (WHOLE.matcher(text).matches()) {
      return "int";
    }
    return DECIMAL.matcher(text).matches() ? "double" : null;
  }

  private static String ref(Operand.Field f) {
    return IDENTIFIER.matcher(f.name()).matches() && !RESERVED.contains(f.name())
        ? "r." + f.name()
        : "r[\"" + f.name().replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  private static String describe(Operand operand, Object value) {
    return switch (operand) {
      case Operand.Field f -> f.name() + " (" + shown(value) + ")";
      case Operand.Constant c -> shown(value);
      case Operand.Other o -> "a computed value";
    };
  }

  /** {@code text '16'}, {@code the number 10}, {@code the list '[a, b]'}. */
  private static String shown(Object value) {
    return switch (value) {
      case null -> "absent";
      case String s -> "text " + Values.quote(s);
      case Long l -> "the number " + Values.text(l);
      case Double d -> "the number " + Values.text(d);
      case Boolean b -> b.toString();
      case List<?> l -> "the list " + Values.quote(l);
      case Map<?, ?> m -> "the object " + Values.quote(m);
      default -> Values.quote(value);
    };
  }
}
