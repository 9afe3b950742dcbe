package dev.integrity.init;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.check.CheckEngine;
import dev.integrity.config.CheckSpec;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.EntityConfig;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.BaseSchema;
import dev.integrity.model.BaseSchema.FieldSchema;
import dev.integrity.model.BaseSchema.TableSchema;
import dev.integrity.sim.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StarterConfigTest {
  static final Path ALL_TYPES = Path.of("src/test/resources/datasets/all-field-types");

  @TempDir Path dir;

  private IntegrityConfig load(String yaml) throws IOException {
    Path file = dir.resolve("integrity.yml");
    Files.writeString(file, yaml);
    return ConfigLoader.load(file, Map.of("AIRTABLE_TOKEN", "pat-test"));
  }

  private static List<CheckSpec> checks(IntegrityConfig config, String entity) {
    return config.entities().get(entity).checks();
  }

  @Test
  void the_all_types_base_gives_a_config_that_loads_and_matches_its_schema() throws IOException {
    BaseSchema schema = Dataset.load(ALL_TYPES).schema();
    String yaml = StarterConfig.generate(schema);
    IntegrityConfig config = load(yaml);
    CheckEngine engine = CheckEngine.compile(config);

    assertThat(engine.validateAgainst(schema)).isEmpty();
    assertThat(engine.optionMismatches(schema)).isEmpty();
    assertThat(config.entities().keySet())
        .containsExactly("everything__every_type", "companies", "people");
    assertThat(config.entities().get("everything__every_type").table())
        .isEqualTo("Everything: every type");
    assertThat(checks(config, "everything__every_type"))
        .extracting(CheckSpec::id)
        .containsExactly(
            "required:Title",
            "format:A email",
            "unique:A email",
            "format:A url",
            "allowed:A singleSelect",
            "allowed:A multipleSelects",
            "link:A multipleRecordLinks",
            "format:A phoneNumber",
            "link:Employees",
            "computed:all",
            "volume");
  }

  @Test
  void every_table_gets_a_volume_check_on_its_own_line_that_can_be_kept_or_deleted()
      throws IOException {
    BaseSchema schema = Dataset.load(ALL_TYPES).schema();
    String yaml = StarterConfig.generate(schema);
    String line =
        "      - volume: {maxDrop: 20}   # fails when a run finds 20% fewer records than the last";

    assertThat(yaml.lines().filter(line::equals).count()).isEqualTo(schema.tables().size());
    IntegrityConfig kept = load(yaml);
    for (EntityConfig entity : kept.entities().values()) {
      assertThat(entity.checks())
          .filteredOn(c -> c instanceof CheckSpec.Volume)
          .map(c -> (CheckSpec.Volume) c)
          .extracting(CheckSpec::id, CheckSpec.Volume::maxDrop, CheckSpec.Volume::min)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("volume", new java.math.BigDecimal("20"), null));
    }
    IntegrityConfig deleted =
        load(String.join("\n", yaml.lines().filter(l -> !l.equals(line)).toList()) + "\n");
    assertThat(deleted.entities().values())
        .allSatisfy(e -> assertThat(e.checks()).noneMatch(c -> c instanceof CheckSpec.Volume));
    assertThat(CheckEngine.compile(deleted).validateAgainst(schema)).isEmpty();
  }

  @Test
  void checks_carry_the_choices_the_link_target_and_single_record_preference() throws IOException {
    BaseSchema schema = Dataset.load(ALL_TYPES).schema();
    IntegrityConfig config = load(StarterConfig.generate(schema));
    List<CheckSpec> checks = checks(config, "everything__every_type");

    assertThat(checks)
        .filteredOn(c -> c instanceof CheckSpec.Allowed)
        .map(c -> ((CheckSpec.Allowed) c).values())
        .containsExactly(List.of("Open", "Closed, for now"), List.of("red", "yes", "#1"));
    assertThat(checks)
        .filteredOn(c -> c instanceof CheckSpec.Link)
        .map(c -> (CheckSpec.Link) c)
        .extracting(CheckSpec.Link::field, CheckSpec.Link::to, CheckSpec.Link::min, l -> l.max())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("A multipleRecordLinks", "companies", 0, 1),
            org.assertj.core.groups.Tuple.tuple(
                "Employees", "people", 0, CheckSpec.Link.UNBOUNDED));
    assertThat(checks)
        .filteredOn(c -> c instanceof CheckSpec.Unique)
        .map(c -> ((CheckSpec.Unique) c).normalize())
        .containsExactly(true);
    // The primary field is required whatever its type (here an e-mail, and a formula).
    assertThat(checks(config, "companies"))
        .extracting(CheckSpec::id)
        .containsExactly(
            "required:Company", "format:Company", "unique:Company", "link:Owner", "volume");
    assertThat(checks(config, "people"))
        .extracting(CheckSpec::id)
        .containsExactly("required:Name", "computed:all", "volume");
  }

  @Test
  void a_comment_above_each_entity_names_its_table_id_and_the_types_it_skipped() {
    BaseSchema schema = Dataset.load(ALL_TYPES).schema();
    String yaml = StarterConfig.generate(schema);
    TableSchema everything = schema.tables().get(0);
    List<String> lines = yaml.lines().toList();
    int entityLine = lines.indexOf("  everything__every_type:");
    String comments = String.join("\n", lines.subList(0, entityLine));

    assertThat(comments).contains("# table " + everything.id() + " (Everything: every type)");
    for (String type :
        List.of(
            "multilineText",
            "number",
            "currency",
            "multipleAttachments",
            "autoNumber",
            "button",
            "aFieldTypeAirtableAddsLater")) {
      assertThat(comments).contains("#   " + type + ": A " + type);
    }
    assertThat(comments).contains("#   singleSelect [a select without choices]: Empty select");
    assertThat(comments).contains("#   singleLineText: A singleLineText");
    // Computed fields are covered by `computed: all`, a line a person can keep or delete.
    assertThat(comments).doesNotContain("formula", "rollup", "multipleLookupValues");
    assertThat(yaml)
        .contains(
            "      - computed: all              # formula, rollup, lookup, count: no #ERROR!");
    // The primary field (Title, singleLineText) has a check, so it is not listed as skipped.
    assertThat(comments).doesNotContain("Title");
    assertThat(yaml).contains("  token: ${AIRTABLE_TOKEN}");
    assertThat(yaml)
        .contains(
            "# schedules:\n#   - name: nightly\n#     cron: \"0 2 * * *\"\n#     timezone: UTC");
  }

  @Test
  void names_that_yaml_or_the_config_would_misread_come_back_exactly() throws IOException {
    List<String> awkward =
        List.of(
            "yes",
            "Name, first",
            "${HOME}",
            "Notes: #1",
            "quote \" and \\ backslash",
            " padded ",
            "[x]",
            "100",
            "Ünïcödé 名前",
            "tab\there");
    List<FieldSchema> fields =
        awkward.stream()
            .map(
                n ->
                    new FieldSchema(
                        "fld" + Integer.toHexString(n.hashCode()), n, "url", null, null))
            .toList();
    BaseSchema schema =
        new BaseSchema(
            "appAwkward0000001",
            List.of(
                new TableSchema("tblAwkward0000001", "Notes: #1 ${X}", fields.get(0).id(), fields),
                new TableSchema(
                    "tblAwkward0000002", "notes___1___x_", fields.get(0).id(), fields)));
    IntegrityConfig config = load(StarterConfig.generate(schema));

    EntityConfig first = config.entities().get("notes___1___x_");
    assertThat(first.table()).isEqualTo("Notes: #1 ${X}");
    assertThat(first.checks())
        .filteredOn(c -> c instanceof CheckSpec.Format)
        .map(c -> ((CheckSpec.Format) c).field())
        .containsExactlyElementsOf(awkward);
    // A second table whose name lowers to a taken entity name gets a suffix, not a clash.
    assertThat(config.entities().get("notes___1___x__2").table()).isEqualTo("notes___1___x_");
    assertThat(CheckEngine.compile(config).validateAgainst(schema)).isEmpty();
  }

  @Test
  void the_same_schema_always_gives_the_same_text() {
    BaseSchema schema = Dataset.load(ALL_TYPES).schema();
    assertThat(StarterConfig.generate(schema)).isEqualTo(StarterConfig.generate(schema));
  }
}
