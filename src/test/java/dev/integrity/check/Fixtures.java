package dev.integrity.check;

import dev.integrity.Secret;
import dev.integrity.config.AirtableConfig;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.AirtableRecord;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds configs, records and runs for check tests. */
final class Fixtures {
  static final Instant CREATED = Instant.parse("2024-01-01T00:00:00Z");

  private Fixtures() {}

  /** An engine whose entity "things" has the given checks; "teachers" has none. */
  static CheckEngine engine(CheckSpec... checks) {
    return CheckEngine.compile(config(checks));
  }

  static IntegrityConfig config(CheckSpec... checks) {
    Map<String, EntityConfig> entities = new LinkedHashMap<>();
    entities.put("things", new EntityConfig("things", "Things", List.of(checks)));
    entities.put("teachers", new EntityConfig("teachers", "Teachers", List.of()));
    return new IntegrityConfig(
        null,
        new AirtableConfig("appTEST", new Secret("t"), URI.create("http://127.0.0.1")),
        entities,
        List.of(),
        null);
  }

  /** A record from id and alternating field names and values (null values kept as null). */
  static AirtableRecord rec(String id, Object... namesAndValues) {
    Map<String, Object> fields = new HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return new AirtableRecord(id, CREATED, fields);
  }

  static List<Issue> run(CheckEngine engine, AirtableRecord... records) {
    return run(engine, Map.of(), records);
  }

  static List<Issue> run(
      CheckEngine engine, Map<String, Set<String>> idsByEntity, AirtableRecord... records) {
    List<Issue> issues = new ArrayList<>();
    engine.evaluate("things", List.of(records), idsByEntity, issues::add);
    return issues;
  }
}
