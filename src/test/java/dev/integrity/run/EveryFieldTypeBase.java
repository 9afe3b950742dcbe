package dev.integrity.run;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.Computed;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.sim.SimTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A base with every field type of Airtable's field model, and random edit scripts over it: the data
 * of the property "an incremental run finds what a full run of the same data finds". Owners (a name
 * and a select) and Items, whose fields hold one value of each type, linked to owners and looking
 * up their name and status. Values come from small pools, so that duplicates, values outside the
 * allowed ones, dangling links and cleared cells all occur. Stateless.
 */
final class EveryFieldTypeBase {
  static final String BASE = "appEveryFieldType";
  static final String OWNERS = "tblOwners00000001";
  static final String ITEMS = "tblItems000000001";

  private EveryFieldTypeBase() {}

  /** The checks: every check type, each on fields whose two cell formats differ where it can. */
  static final String ENTITIES =
      """
        owners:
          table: Owners
          checks:
            - required: [Name]
            - allowed: {field: Status, values: [Active, Away]}
        items:
          table: Items
          checks:
            - required: [Title, Status, Owner, Done, Person, Files, Code, Source, Formula]
            - unique: Owner
            - unique: [Status, Tags]
            - allowed: {field: Status, values: [Open, Closed]}
            - allowed: {field: Tags, values: [red, green]}
            - allowed: {field: Source, values: [Sync A]}
            - pattern: {field: Owner, regex: '^rec[A-Za-z0-9]{14}$'}
            - pattern: {field: Owner name, regex: '^Owner'}
            - format: {field: Email, as: email}
            - format: {field: Url, as: url}
            - format: {field: Phone, as: phone}
            - format: {field: Day, as: date}
            - range: {field: Amount, min: 0, max: 100}
            - range: {field: Rollup, min: 0, max: 50}
            - link: {field: Owner, to: owners, min: 1, max: 1}
            - rule: {name: status-known, expr: '!("Status" in r) || r.Status in ["Open", "Closed", "Blocked"]'}
            - rule: {name: tags-text, expr: '!("Tags" in r) || r.Tags.all(t, t.size() <= 5)'}
            - rule: {name: owner-ids, expr: '!("Owner" in r) || r.Owner.all(x, x.startsWith("rec"))'}
            - rule: {name: owner-status, expr: '!("Owner status" in r) || r["Owner status"].all(s, s == "Active")'}
            - rule: {name: person-mail, expr: '!("Person" in r) || r.Person.email.endsWith("@example.com")'}
            - rule: {name: people-few, expr: '!("People" in r) || r.People.size() <= 1'}
            - rule: {name: formula-text, expr: '!("Formula" in r) || r.Formula != "bad"'}
            - rule: {name: done-is-true, expr: '!("Done" in r) || r.Done'}
            - rule: {name: code-text, expr: '!("Code" in r) || r.Code.text.size() > 2'}
            - rule: {name: later-type, expr: '!("Later" in r) || r.Later.level < 2'}
            - computed: all
            - similar: {fields: [Title, Text], same: [Status]}
      """;

  static final List<FieldSchema> OWNER_FIELDS =
      List.of(
          new FieldSchema("fldOName000000001", "Name", "singleLineText", null, null),
          new FieldSchema(
              "fldOStatus0000001", "Status", "singleSelect", List.of("Active", "Away"), null));

  static final List<FieldSchema> ITEM_FIELDS =
      List.of(
          field("Title", "singleLineText"),
          field("Text", "singleLineText"),
          field("Email", "email"),
          field("Url", "url"),
          field("Notes", "multilineText"),
          field("Rich", "richText"),
          field("Phone", "phoneNumber"),
          field("Amount", "number"),
          field("Share", "percent"),
          field("Price", "currency"),
          field("Length", "duration"),
          field("Stars", "rating"),
          field("Serial", "autoNumber"),
          field("Day", "date"),
          field("When", "dateTime"),
          field("Created", "createdTime"),
          field("Modified", "lastModifiedTime"),
          new FieldSchema(
              id("Status"), "Status", "singleSelect", List.of("Open", "Closed", "Blocked"), null),
          new FieldSchema(
              id("Tags"), "Tags", "multipleSelects", List.of("red", "green", "purple"), null),
          new FieldSchema(id("Owner"), "Owner", "multipleRecordLinks", null, OWNERS, true),
          new FieldSchema(
              id("Owner name"),
              "Owner name",
              "multipleLookupValues",
              null,
              null,
              false,
              new Computed("singleLineText", id("Owner"), "fldOName000000001")),
          new FieldSchema(
              id("Owner status"),
              "Owner status",
              "multipleLookupValues",
              List.of("Active", "Away"),
              null,
              false,
              new Computed("singleSelect", id("Owner"), "fldOStatus0000001")),
          new FieldSchema(
              id("Owners"),
              "Owners",
              "count",
              null,
              null,
              false,
              new Computed(null, id("Owner"), null)),
          new FieldSchema(
              id("Rollup"),
              "Rollup",
              "rollup",
              null,
              null,
              false,
              new Computed("number", id("Owner"), "fldOName000000001")),
          new FieldSchema(
              id("Formula"),
              "Formula",
              "formula",
              null,
              null,
              false,
              new Computed("singleLineText", null, null)),
          field("Done", "checkbox"),
          field("Person", "singleCollaborator"),
          field("People", "multipleCollaborators"),
          field("Creator", "createdBy"),
          field("Editor", "lastModifiedBy"),
          field("Files", "multipleAttachments"),
          field("Code", "barcode"),
          field("Action", "button"),
          field("Source", "externalSyncSource"),
          field("Summary", "aiText"),
          field("Later", "aFieldTypeAirtableAddsLater"));

  private static FieldSchema field(String name, String type) {
    return new FieldSchema(id(name), name, type, null, null);
  }

  /** A field id of the Items table derived from its name: 17 characters, as Airtable's. */
  static String id(String name) {
    String letters = name.replaceAll("[^A-Za-z]", "");
    return ("fldI" + letters + "0000000000000").substring(0, 17);
  }

  static Dataset base(Random random, int owners, int items) {
    List<AirtableRecord> o = new ArrayList<>();
    for (int i = 0; i < owners; i++) {
      o.add(new AirtableRecord(IncrementalRunTest.recordId(random), Instant.EPOCH, owner(random)));
    }
    List<AirtableRecord> it = new ArrayList<>();
    for (int i = 0; i < items; i++) {
      AirtableRecord owner = o.get(random.nextInt(o.size()));
      it.add(
          new AirtableRecord(
              IncrementalRunTest.recordId(random), Instant.EPOCH, item(random, i, owner)));
    }
    return Dataset.of(
        BASE,
        List.of(
            new SimTable(OWNERS, "Owners", "fldOName000000001", OWNER_FIELDS, o),
            new SimTable(ITEMS, "Items", id("Title"), ITEM_FIELDS, it)));
  }

  static Map<String, Object> owner(Random random) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (random.nextInt(8) > 0) {
      f.put("Name", pick(random, "Owner Ada", "Owner Grace", "Owner Linus", "Nobody"));
    }
    f.put("Status", pick(random, "Active", "Away", "Active"));
    return f;
  }

  /** An item with a value of every type (some left out), linked to {@code owner}. */
  static Map<String, Object> item(Random random, int n, AirtableRecord owner) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("Title", "Item " + n);
    for (String name : ITEM_FIELDS.stream().map(FieldSchema::name).toList()) {
      if (!name.equals("Title") && !name.startsWith("Owner") && random.nextInt(6) > 0) {
        f.put(name, value(random, name));
      }
    }
    f.putAll(link(owner));
    return f;
  }

  /** The link to {@code owner} and what it looks up: a change of link is one of all three. */
  static Map<String, Object> link(AirtableRecord owner) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("Owner", owner == null ? null : List.of(owner.id()));
    f.put("Owners", owner == null ? null : 1);
    Object name = owner == null ? null : owner.fields().get("Name");
    f.put("Owner name", name == null ? null : List.of(name));
    Object status = owner == null ? null : owner.fields().get("Status");
    f.put("Owner status", status == null ? null : List.of(status));
    return f;
  }

  /** A random value for one field of Items, in the list-records shape. */
  static Object value(Random random, String field) {
    return switch (field) {
      case "Text" -> pick(random, "alpha", "beta", "");
      case "Email" -> pick(random, "a@example.com", "b@example.com", "not-an-email");
      case "Url" -> pick(random, "https://example.com/x", "example.com");
      case "Notes" -> "line one\nline " + random.nextInt(3);
      case "Rich" -> "**bold** " + random.nextInt(3);
      case "Phone" -> pick(random, "+1 415 555 0100", "call me");
      case "Amount" -> pick(random, 5, 50, 150, 7.5);
      case "Share" -> pick(random, 0.25, 0.5);
      case "Price" -> pick(random, 9.99, 100);
      case "Length" -> pick(random, 60, 3600);
      case "Stars" -> 1 + random.nextInt(5);
      case "Serial" -> random.nextInt(1000);
      case "Day" -> pick(random, "2026-01-05", "2026-02-30");
      case "When" -> pick(random, "2026-01-05T07:00:00.000Z", "2026-03-01T12:30:00.000Z");
      case "Created" -> "2026-01-01T00:00:00.000Z";
      case "Modified" -> pick(random, "2026-02-01T00:00:00.000Z", "2026-02-02T00:00:00.000Z");
      case "Status" -> pick(random, "Open", "Closed", "Blocked");
      case "Tags" ->
          pick(
              random,
              List.of("red"),
              List.of("red", "green"),
              List.of("purple"),
              List.of("green", "purple"));
      case "Rollup" -> pick(random, 3, 30, 300, Map.of("specialValue", "NaN"));
      case "Formula" ->
          pick(random, "fine", "bad", Map.of("error", "#ERROR!"), Map.of("specialValue", "NaN"));
      case "Done" -> pick(random, true, true, false);
      case "Person" -> collaborator(random);
      case "People" -> random.nextBoolean() ? List.of(collaborator(random)) : List.of();
      case "Creator", "Editor" -> collaborator(random);
      case "Files" ->
          pick(
              random,
              List.of(attachment("attAaaaaaaaaaaaa1", "plan.pdf")),
              List.of(
                  attachment("attAaaaaaaaaaaaa1", "plan.pdf"),
                  attachment("attBbbbbbbbbbbbb2", "photo.png")));
      case "Code" -> pick(random, Map.of("text", "0123456", "type", "upce"), Map.of("text", "12"));
      case "Action" -> Map.of("label", "Open", "url", "https://example.com/open");
      case "Source" -> pick(random, "Sync A", "Sync B");
      case "Summary" ->
          pick(
              random,
              Map.of("state", "generated", "isStale", false, "value", "A summary"),
              Map.of("state", "error", "errorType", "TIMEOUT", "isStale", true));
      case "Later" -> Map.of("level", random.nextInt(3), "note", "a type Airtable added");
      default -> throw new IllegalArgumentException("no values for field " + field);
    };
  }

  private static Map<String, Object> collaborator(Random random) {
    int n = random.nextInt(3);
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("id", "usrCollaborator0" + n);
    c.put("email", n == 2 ? "eve@elsewhere.org" : "user" + n + "@example.com");
    c.put("name", "User " + n);
    return c;
  }

  private static Map<String, Object> attachment(String id, String name) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("id", id);
    a.put("url", "https://v5.airtableusercontent.com/" + name);
    a.put("filename", name);
    a.put("size", 1024);
    a.put("type", name.endsWith(".png") ? "image/png" : "application/pdf");
    return a;
  }

  @SafeVarargs
  private static <T> T pick(Random random, T... values) {
    return values[random.nextInt(values.length)];
  }

  /**
   * One random edit script, applied as one Airtable transaction: 1 to 4 of create, change (a few
   * fields, some cleared), clear, destroy, relink (to another owner, to none, or to a destroyed
   * one), select changes, and owner changes that the items' lookups follow, as Airtable's do.
   */
  static void script(AirtableSimulator sim, Random random, int n) {
    Dataset now = sim.currentDataset();
    List<AirtableRecord> owners = now.table("Owners").orElseThrow().records();
    List<AirtableRecord> items = now.table("Items").orElseThrow().records();
    Edits edits = Edits.begin();
    Set<String> touched = new HashSet<>();
    int ops = 1 + random.nextInt(4);
    for (int i = 0; i < ops; i++) {
      int kind = random.nextInt(8);
      if (kind == 0 || items.size() < 4 || owners.size() < 2) {
        AirtableRecord owner = owners.isEmpty() ? null : owners.get(random.nextInt(owners.size()));
        edits.create("Items", item(random, 1000 + n * 10 + i, owner));
        continue;
      }
      if (kind == 7) {
        ownerChange(edits, random, owners, items, touched);
        continue;
      }
      AirtableRecord item = items.get(random.nextInt(items.size()));
      if (!touched.add(item.id())) {
        continue;
      }
      Map<String, Object> values = new LinkedHashMap<>();
      switch (kind) {
        case 1 -> {
          for (int k = 0; k < 1 + random.nextInt(4); k++) {
            String field = changeable(random);
            values.put(field, value(random, field));
          }
        }
        case 2 -> {
          for (int k = 0; k < 1 + random.nextInt(3); k++) {
            values.put(changeable(random), null);
          }
        }
        case 3 -> {
          edits.destroy("Items", item.id());
          continue;
        }
        case 4 -> {
          int to = random.nextInt(owners.size() + 2);
          if (to == owners.size()) {
            values.putAll(link(null));
          } else if (to == owners.size() + 1) {
            // A link to a record that is no more: a dangling link, the name left looked up.
            values.put("Owner", List.of("recGone0000000000"));
            values.put("Owners", 1);
          } else {
            values.putAll(link(owners.get(to)));
          }
        }
        case 5 -> values.put("Status", random.nextInt(4) == 0 ? null : value(random, "Status"));
        default -> values.put("Tags", random.nextInt(4) == 0 ? null : value(random, "Tags"));
      }
      edits.update("Items", item.id(), values);
    }
    sim.apply(edits);
  }

  private static String changeable(Random random) {
    List<String> names =
        ITEM_FIELDS.stream()
            .map(FieldSchema::name)
            .filter(n -> !n.equals("Title") && !n.startsWith("Owner"))
            .toList();
    return names.get(random.nextInt(names.size()));
  }

  /** Renames an owner or changes its status (or destroys it); the lookups of its items follow. */
  private static void ownerChange(
      Edits edits,
      Random random,
      List<AirtableRecord> owners,
      List<AirtableRecord> items,
      Set<String> touched) {
    AirtableRecord owner = owners.get(random.nextInt(owners.size()));
    if (!touched.add(owner.id())) {
      return;
    }
    if (random.nextInt(5) == 0) {
      edits.destroy("Owners", owner.id());
      return; // the items keep the link, as a dangling one: the link check's business
    }
    Map<String, Object> changed = owner(random);
    edits.update("Owners", owner.id(), changed);
    Map<String, Object> after = new LinkedHashMap<>(owner.fields());
    after.putAll(changed);
    after.values().removeIf(v -> v == null);
    AirtableRecord renamed = new AirtableRecord(owner.id(), owner.createdTime(), after);
    for (AirtableRecord item : items) {
      if (item.fields().get("Owner") instanceof List<?> l
          && l.contains(owner.id())
          && touched.add(item.id())) {
        Map<String, Object> lookups = link(renamed);
        lookups.remove("Owner");
        lookups.remove("Owners");
        edits.update("Items", item.id(), lookups);
      }
    }
  }
}
