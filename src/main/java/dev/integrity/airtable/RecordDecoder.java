package dev.integrity.airtable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.integrity.model.CompactFields;
import dev.integrity.model.FieldKeys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code fields} of the records of one list-records iteration into {@link CompactFields}:
 * only the fields asked for ({@code fields[]}; all of them when none were named), the table's field
 * names held once ({@link FieldKeys}), short repeated strings (select options, linked record ids)
 * and single-link lists shared between records. Issue 18: a run keeps every record of a table until
 * its check, so a record's overhead bounds the largest base a heap can check. One per iteration,
 * used by one thread at a time (the pages of an iteration come one after another).
 */
final class RecordDecoder {
  // Strings longer than this are rarely repeated (names, emails, notes): sharing them costs more in
  // lookups than it saves. Airtable record ids (17) and most select options fit.
  private static final int SHARED_MAX_CHARS = 24;
  // Distinct values remembered per field: bounds the decoder's own memory on a field of unique
  // values; values seen after it is full are still shared when they are among those remembered.
  private static final int SHARED_PER_FIELD = 16_384;

  private final ObjectMapper mapper;
  private final boolean onlyNamed;
  private FieldKeys keys;
  private final List<Map<Object, Object>> shared = new ArrayList<>();

  /**
   * @param fields the fields asked for; empty: every field the records carry
   */
  RecordDecoder(ObjectMapper mapper, List<String> fields) {
    this.mapper = mapper;
    this.onlyNamed = !fields.isEmpty();
    this.keys = onlyNamed ? FieldKeys.of(fields) : FieldKeys.none();
  }

  CompactFields fields(ObjectNode object) {
    Object[] values = new Object[keys.size()];
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      JsonNode node = field.getValue();
      if (node == null || node.isNull()) {
        continue;
      }
      int at = keys.indexOf(field.getKey());
      if (at < 0) {
        if (onlyNamed) {
          // Not asked for (a proxy or an older API sent it anyway): no check reads it.
          continue;
        }
        keys = keys.with(field.getKey());
        at = keys.size() - 1;
        values = java.util.Arrays.copyOf(values, keys.size());
      }
      values[at] = value(at, node);
    }
    return new CompactFields(keys, values);
  }

  private Object value(int field, JsonNode node) {
    if (node.isTextual()) {
      return share(field, node.textValue());
    }
    if (node.isNumber()) {
      // The same types a plain Jackson decoding gives (Integer, Long, BigInteger, Double).
      return node.numberValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isArray()) {
      List<Object> items = new ArrayList<>(node.size());
      boolean nulls = false;
      for (JsonNode item : node) {
        Object v = item.isNull() ? null : value(field, item);
        nulls |= v == null;
        items.add(v);
      }
      if (nulls) {
        return Collections.unmodifiableList(items);
      }
      List<Object> list = List.copyOf(items);
      return list.size() == 1 && list.get(0) instanceof String ? share(field, list) : list;
    }
    // Objects (attachments, collaborators, button, AI text): as plain Jackson decodes them.
    return mapper.convertValue(node, Object.class);
  }

  /** The value already seen in this field equal to {@code value}, else {@code value}. */
  private Object share(int field, Object value) {
    if (value instanceof String s && s.length() > SHARED_MAX_CHARS
        || value instanceof List<?> l && ((String) l.get(0)).length() > SHARED_MAX_CHARS) {
      return value;
    }
    while (shared.size() <= field) {
      shared.add(new HashMap<>());
    }
    Map<Object, Object> seen = shared.get(field);
    Object earlier = seen.get(value);
    if (earlier != null) {
      return earlier;
    }
    if (seen.size() < SHARED_PER_FIELD) {
      seen.put(value, value);
    }
    return value;
  }
}
