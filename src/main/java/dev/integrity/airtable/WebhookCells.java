package dev.integrity.airtable;

import dev.integrity.model.BaseSchema;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a cell value of a webhook payload (Airtable's webhook cell format, "V2") into the value a
 * list-records call gives for the same cell ("V1"), through the field's schema, so that the mirror
 * holds what a full scan would read and the checks see one format whichever road a value came by.
 * docs/airtable-formats.md has the two formats side by side, type by type.
 *
 * <p>Absent is Java {@code null}: list-records leaves an empty cell out, so {@code null}, {@code
 * ""}, an empty list and an unchecked checkbox ({@code false}) all come back as {@code null}. A
 * value that already has the list-records shape passes through unchanged (a select that is already
 * its name, a link list of record ids, a flat lookup list). A type this class does not know
 * (Airtable adds types) keeps its value as it came; it is logged once per instance, naming the type
 * and the field, never the value (Airtable text). One instance serves one {@link MirrorChanges#map}
 * call; not thread-safe (the set of types already logged).
 */
final class WebhookCells {
  private static final Logger log = LoggerFactory.getLogger(WebhookCells.class);

  /** Types whose single value is a choice object {@code {id, name, color?}} in payloads. */
  private static final Set<String> CHOICES = Set.of("singleSelect", "externalSyncSource");

  /** Types whose single value is a collaborator, with webhook-only properties in payloads. */
  private static final Set<String> COLLABORATORS =
      Set.of("singleCollaborator", "createdBy", "lastModifiedBy");

  /** The properties a collaborator has only in webhook payloads (the field model says so). */
  private static final Set<String> WEBHOOK_ONLY_COLLABORATOR_KEYS =
      Set.of("permissionLevel", "profilePicUrl");

  /** Types whose value is computed from other fields and has a {@code options.result.type}. */
  private static final Set<String> RESULTS = Set.of("formula", "rollup");

  /** Lookups: {@code lookup} is the name some schemas give {@code multipleLookupValues}. */
  private static final Set<String> LOOKUPS = Set.of("multipleLookupValues", "lookup");

  /**
   * Types whose value is the same in both formats: kept as it came (apart from the empty-cell
   * rules). {@code manualSort} is not in the field model page but the Meta API can list it.
   */
  private static final Set<String> SAME =
      Set.of(
          "singleLineText",
          "email",
          "url",
          "multilineText",
          "richText",
          "phoneNumber",
          "number",
          "percent",
          "currency",
          "duration",
          "rating",
          "autoNumber",
          "count",
          "date",
          "dateTime",
          "createdTime",
          "lastModifiedTime",
          "checkbox",
          "barcode",
          "button",
          "multipleAttachments",
          "aiText",
          "manualSort");

  /** Every type of the field model this class converts on purpose; the others are unknown. */
  static final Set<String> KNOWN_TYPES = known();

  private final Set<String> loggedUnknown = new HashSet<>();

  private static Set<String> known() {
    Set<String> all = new HashSet<>(SAME);
    all.addAll(CHOICES);
    all.addAll(COLLABORATORS);
    all.addAll(RESULTS);
    all.addAll(LOOKUPS);
    all.addAll(Set.of("multipleSelects", "multipleRecordLinks", "multipleCollaborators"));
    return Set.copyOf(all);
  }

  /**
   * The list-records value of {@code field}'s cell whose payload value is {@code value}, or {@code
   * null} when list-records would leave the cell out. {@code field} needs an id, a name and a type;
   * {@code computed().resultType()} is used for lookups, rollups and formulas when known.
   */
  Object toListRecords(BaseSchema.FieldSchema field, Object value) {
    if (value == null) {
      return null;
    }
    String type = field.type() == null ? "" : field.type();
    Object converted;
    if (LOOKUPS.contains(type)) {
      converted = lookup(field, value);
    } else if (RESULTS.contains(type)) {
      converted = result(field, value);
    } else {
      converted = value(field, type, value);
    }
    return absentWhenEmpty(converted, checkboxLike(field));
  }

  /**
   * A formula or rollup result: error values ({@code {"error": "#ERROR!"}}, {@code {"specialValue":
   * "NaN"}}) and everything else as they came, through the result type when it is one whose values
   * differ between the formats.
   */
  private Object result(BaseSchema.FieldSchema field, Object value) {
    String resultType = resultType(field);
    if (resultType == null || isErrorValue(value)) {
      return value;
    }
    return value(field, resultType, value);
  }

  /**
   * A lookup: the payload's {@code {"valuesByLinkedRecordId": {rec: [..]}, "linkedRecordIds":
   * [..]}} becomes the flat list list-records gives, in {@code linkedRecordIds} order, each element
   * converted by the looked-up field's type. Nulls inside are left out; a value that is not this
   * object (already a flat list, an error value) passes through unchanged.
   */
  private Object lookup(BaseSchema.FieldSchema field, Object value) {
    if (!(value instanceof Map<?, ?> map)
        || !(map.containsKey("valuesByLinkedRecordId") || map.containsKey("linkedRecordIds"))) {
      return value;
    }
    Map<?, ?> byRecord =
        map.get("valuesByLinkedRecordId") instanceof Map<?, ?> m ? m : Map.<Object, Object>of();
    Set<Object> order = new LinkedHashSet<>();
    if (map.get("linkedRecordIds") instanceof List<?> ids) {
      order.addAll(ids);
    }
    // Tolerate a record the id list left out: its values still count, after the listed ones.
    order.addAll(byRecord.keySet());
    String elementType = resultType(field);
    List<Object> out = new ArrayList<>();
    for (Object id : order) {
      Object values = byRecord.get(id);
      for (Object element : values instanceof List<?> list ? list : single(values)) {
        if (element instanceof List<?> inner) {
          for (Object e : inner) {
            add(out, element(field, elementType, e));
          }
        } else {
          add(out, element(field, elementType, element));
        }
      }
    }
    return out;
  }

  private static List<Object> single(Object value) {
    List<Object> one = new ArrayList<>(1);
    if (value != null) {
      one.add(value);
    }
    return one;
  }

  private static void add(List<Object> out, Object element) {
    if (element != null) {
      out.add(element);
    }
  }

  /** One element of a lookup, by the looked-up field's type (null: kept as it came). */
  private Object element(BaseSchema.FieldSchema field, String type, Object element) {
    if (type == null || LOOKUPS.contains(type) || RESULTS.contains(type)) {
      return element;
    }
    return item(field, type, element);
  }

  /** A value of a field of {@code type} that is neither a lookup nor a formula or rollup. */
  private Object value(BaseSchema.FieldSchema field, String type, Object value) {
    return switch (type) {
      case "multipleSelects", "multipleRecordLinks", "multipleCollaborators" ->
          value instanceof List<?> list ? items(field, type, list) : item(field, type, value);
      default -> item(field, type, value);
    };
  }

  private List<Object> items(BaseSchema.FieldSchema field, String type, List<?> list) {
    List<Object> out = new ArrayList<>(list.size());
    for (Object e : list) {
      out.add(item(field, type, e));
    }
    return out;
  }

  /**
   * One item: a choice object to its name, a linked record object to its id, a collaborator without
   * its webhook-only properties; anything else (and a shape already V1) as it came.
   */
  private Object item(BaseSchema.FieldSchema field, String type, Object item) {
    if (CHOICES.contains(type) || type.equals("multipleSelects")) {
      return item instanceof Map<?, ?> m && m.get("name") instanceof String name ? name : item;
    }
    if (type.equals("multipleRecordLinks")) {
      return item instanceof Map<?, ?> m && m.get("id") instanceof String id ? id : item;
    }
    if (COLLABORATORS.contains(type) || type.equals("multipleCollaborators")) {
      return item instanceof Map<?, ?> m ? collaborator(m) : item;
    }
    if (!KNOWN_TYPES.contains(type)) {
      unknown(field, type);
    }
    return item;
  }

  private static Map<?, ?> collaborator(Map<?, ?> m) {
    if (WEBHOOK_ONLY_COLLABORATOR_KEYS.stream().noneMatch(m::containsKey)) {
      return m;
    }
    Map<Object, Object> out = new LinkedHashMap<>(m);
    WEBHOOK_ONLY_COLLABORATOR_KEYS.forEach(out::remove);
    return out;
  }

  private void unknown(BaseSchema.FieldSchema field, String type) {
    if (loggedUnknown.add(type)) {
      log.warn(
          "Field {} ({}): values of type {} are kept as webhook payloads send them, as this"
              + " version does not know the type; a full scan may read them differently",
          dev.integrity.common.Texts.shorten(String.valueOf(field.name()), 80),
          field.id(),
          dev.integrity.common.Texts.shorten(type, 80));
    }
  }

  /**
   * List-records leaves an empty cell out: null, {@code ""}, an empty list, and {@code false} of a
   * field whose values are checkboxes (an unchecked checkbox; a formula or rollup, whose
   * list-records values are string, number or {@code true}).
   */
  private static Object absentWhenEmpty(Object value, boolean checkboxLike) {
    return switch (value) {
      case null -> null;
      case String s when s.isEmpty() -> null;
      case Collection<?> c when c.isEmpty() -> null;
      case Boolean b when !b && checkboxLike -> null;
      default -> value;
    };
  }

  private static boolean checkboxLike(BaseSchema.FieldSchema field) {
    return "checkbox".equals(field.type())
        || RESULTS.contains(field.type())
        || "checkbox".equals(resultType(field));
  }

  private static String resultType(BaseSchema.FieldSchema field) {
    return field.computed() == null ? null : field.computed().resultType();
  }

  /** {@code {"error": "#ERROR!"}} or {@code {"specialValue": "NaN"}}: a formula's error value. */
  static boolean isErrorValue(Object value) {
    return value instanceof Map<?, ?> m
        && (m.get("error") instanceof String || m.get("specialValue") != null);
  }
}
