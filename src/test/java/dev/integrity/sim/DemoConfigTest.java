package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.integrity.check.CheckEngine;
import dev.integrity.check.Issue;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.config.Settings;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The demo config and the demo dataset are a contract: every name the config uses must exist. */
class DemoConfigTest {
  private static final Path CONFIG = Path.of("examples/demo/integrity.yml");
  private static JsonNode config;
  private static Dataset demo;

  @BeforeAll
  static void load() throws IOException {
    config = new ObjectMapper(new YAMLFactory()).readTree(CONFIG.toFile());
    demo = Dataset.demo();
  }

  @Test
  void it_names_the_demo_base() {
    assertThat(config.at("/airtable/baseId").asText()).isEqualTo(Dataset.demoBaseId());
    assertThat(config.at("/airtable/token").asText()).isEqualTo("${AIRTABLE_TOKEN}");
  }

  @Test
  void every_entity_table_and_checked_field_exists_in_the_demo() {
    Set<String> entities = new HashSet<>();
    config.get("entities").fieldNames().forEachRemaining(entities::add);
    config
        .get("entities")
        .fields()
        .forEachRemaining(
            e -> {
              SimTable table =
                  demo.table(e.getValue().get("table").asText())
                      .orElseThrow(() -> new AssertionError("no table for " + e.getKey()));
              for (JsonNode check : e.getValue().get("checks")) {
                for (String field : fieldsOf(check)) {
                  assertThat(table.field(field))
                      .as("%s: field %s of check %s", e.getKey(), field, check)
                      .isPresent();
                }
                if (check.has("link")) {
                  assertThat(entities).contains(check.at("/link/to").asText());
                }
              }
            });
  }

  @Test
  void allowed_values_are_exactly_the_select_options() {
    config
        .get("entities")
        .fields()
        .forEachRemaining(
            e -> {
              SimTable table = demo.table(e.getValue().get("table").asText()).orElseThrow();
              for (JsonNode check : e.getValue().get("checks")) {
                if (check.has("allowed")) {
                  FieldSchema f = table.field(check.at("/allowed/field").asText()).orElseThrow();
                  List<String> values = new ArrayList<>();
                  check.at("/allowed/values").forEach(v -> values.add(v.asText()));
                  assertThat(values)
                      .as("allowed values of %s.%s", table.name(), f.name())
                      .containsExactlyInAnyOrderElementsOf(f.choices());
                }
              }
            });
  }

  @Test
  void every_check_type_and_the_required_variants_are_used() {
    Set<String> types = new HashSet<>();
    Set<String> formats = new HashSet<>();
    boolean normalized = false;
    boolean composite = false;
    boolean warnRule = false;
    boolean dateRange = false;
    boolean multiSelectAllowed = false;
    for (JsonNode entity : config.get("entities")) {
      SimTable table = demo.table(entity.get("table").asText()).orElseThrow();
      for (JsonNode check : entity.get("checks")) {
        String type = check.fieldNames().next();
        types.add(type);
        switch (type) {
          case "unique" -> {
            normalized |= check.path("normalize").asBoolean();
            composite |= check.get("unique").isArray();
          }
          case "format" -> formats.add(check.at("/format/as").asText());
          case "rule" -> warnRule |= check.at("/rule/severity").asText().equals("warn");
          case "range" ->
              dateRange |= check.at("/range/min").asText().matches("\\d{4}-\\d{2}-\\d{2}");
          case "allowed" ->
              multiSelectAllowed |=
                  table
                      .field(check.at("/allowed/field").asText())
                      .orElseThrow()
                      .type()
                      .equals("multipleSelects");
          default -> {}
        }
      }
    }
    assertThat(types)
        .containsExactlyInAnyOrder(
            "required", "unique", "allowed", "pattern", "format", "range", "link", "rule");
    assertThat(formats).containsExactlyInAnyOrder("email", "url", "phone", "date");
    assertThat(normalized).isTrue();
    assertThat(composite).isTrue();
    assertThat(warnRule).isTrue();
    assertThat(dateRange).isTrue();
    assertThat(multiSelectAllowed).isTrue();
    assertThat(config.at("/schedules/0/name").asText()).isEqualTo("nightly");
    assertThat(config.at("/schedules/0/cron").asText()).isEqualTo("0 2 * * *");
    assertThat(config.at("/schedules/0/timezone").asText()).isNotBlank();
  }

  @Test
  void the_demo_rule_evaluates_on_every_demo_class_and_still_finds_the_small_ones() {
    IntegrityConfig loaded = ConfigLoader.loadOffline(CONFIG, Settings.defaults());
    List<Issue> issues = new ArrayList<>();
    List<AirtableRecord> classes = demo.table("Classes").orElseThrow().records();
    // Capacity holds numbers and, planted, a few numbers as text ('16'): the rule reads both.
    assertThat(classes)
        .anySatisfy(c -> assertThat(c.fields().get("Capacity")).isInstanceOf(String.class));

    CheckEngine.compile(loaded).evaluate("classes", classes, Map.of(), issues::add);

    List<Issue> rule =
        issues.stream().filter(i -> i.checkId().equals("rule:active-class-seats-ten")).toList();
    assertThat(rule).noneSatisfy(i -> assertThat(i.message()).contains("could not be evaluated"));
    assertThat(rule).isNotEmpty().allSatisfy(i -> assertThat(i.message()).contains("is false"));
  }

  private static List<String> fieldsOf(JsonNode check) {
    String type = check.fieldNames().next();
    JsonNode v = check.get(type);
    List<String> fields = new ArrayList<>();
    if (v.isTextual()) {
      fields.add(v.asText());
    } else if (v.isArray()) {
      v.forEach(f -> fields.add(f.asText()));
    } else if (v.has("field")) {
      fields.add(v.get("field").asText());
    }
    if (type.equals("rule")) {
      var m =
          java.util.regex.Pattern.compile("r\\[\"([^\"]+)\"\\]").matcher(v.get("expr").asText());
      while (m.find()) {
        fields.add(m.group(1));
      }
    }
    return fields;
  }
}
