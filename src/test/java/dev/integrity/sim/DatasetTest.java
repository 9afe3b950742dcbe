package dev.integrity.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema.FieldSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetTest {
  private static Dataset demo;

  @BeforeAll
  static void build() {
    demo = Dataset.demo();
  }

  private static SimTable table(String name) {
    return demo.table(name).orElseThrow();
  }

  private static long count(String table, Predicate<Map<String, Object>> p) {
    return table(table).records().stream().map(AirtableRecord::fields).filter(p).count();
  }

  @Test
  void two_builds_of_the_demo_are_equal() {
    assertThat(Dataset.demo()).isEqualTo(demo);
    assertThat(Dataset.demo().baseId())
        .isEqualTo(Dataset.demoBaseId())
        .isEqualTo("appDemoSchool2024");
  }

  @Test
  void demo_has_the_four_tables_at_their_sizes() {
    assertThat(demo.tables())
        .extracting(SimTable::name)
        .containsExactly("Teachers", "Classes", "Students", "Enrollments");
    assertThat(demo.tables())
        .extracting(t -> t.records().size())
        .containsExactly(300, 1_200, 10_000, 10_000);
  }

  @Test
  void every_id_is_a_prefix_and_fourteen_alphanumerics() {
    Pattern rec = Pattern.compile("rec[A-Za-z0-9]{14}");
    assertThat(demo.baseId()).matches("app[A-Za-z0-9]{14}");
    for (SimTable t : demo.tables()) {
      assertThat(t.id()).matches("tbl[A-Za-z0-9]{14}");
      assertThat(t.fields()).allSatisfy(f -> assertThat(f.id()).matches("fld[A-Za-z0-9]{14}"));
      assertThat(t.records()).allSatisfy(r -> assertThat(r.id()).matches(rec));
    }
  }

  @Test
  void records_hold_no_empty_values() {
    for (SimTable t : demo.tables()) {
      assertThat(t.records())
          .allSatisfy(r -> assertThat(r.fields().values()).noneMatch(Dataset::isEmpty));
    }
  }

  @Test
  void duplicate_emails_differ_only_in_case_or_spaces() {
    for (String table : List.of("Teachers", "Students")) {
      Map<String, Set<String>> byNormalized = new HashMap<>();
      for (AirtableRecord r : table(table).records()) {
        if (r.fields().get("Email") instanceof String email) {
          String key = email.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
          byNormalized.computeIfAbsent(key, k -> new HashSet<>()).add(email);
        }
      }
      long duplicated = byNormalized.values().stream().filter(s -> s.size() > 1).count();
      assertThat(duplicated).as("duplicate e-mails in %s", table).isGreaterThan(0);
    }
  }

  @Test
  void the_planted_defects_are_all_present() {
    Set<String> teacherIds = ids("Teachers");
    Set<String> studentIds = ids("Students");
    Set<String> classIds = ids("Classes");
    assertThat(count("Teachers", f -> !f.containsKey("Email")))
        .as("teachers without e-mail")
        .isPositive();
    assertThat(count("Students", f -> !f.containsKey("Name")))
        .as("students without name")
        .isPositive();
    assertThat(
            count(
                "Students",
                f ->
                    f.get("Email") instanceof String e
                        && !e.strip().matches("[^@\\s]+@[^@\\s]+\\.[a-z]+")))
        .as("invalid e-mails")
        .isPositive();
    assertThat(
            count(
                "Teachers",
                f ->
                    f.get("Phone") instanceof String p && !p.matches("\\(\\d{3}\\) \\d{3}-\\d{4}")))
        .as("invalid phones")
        .isPositive();
    assertThat(
            count(
                "Students",
                f -> f.get("Homepage") instanceof String u && !u.startsWith("https://")))
        .as("invalid urls")
        .isPositive();
    assertThat(count("Students", f -> f.get("Grade") instanceof Integer g && (g < 9 || g > 12)))
        .as("grades out of range")
        .isPositive();
    assertThat(count("Students", f -> f.get("Grade") instanceof String))
        .as("grades sent as strings")
        .isPositive();
    assertThat(count("Classes", f -> f.get("Capacity") instanceof String))
        .as("capacities sent as strings")
        .isPositive();
    assertThat(count("Classes", f -> f.get("Capacity") instanceof Integer c && (c < 1 || c > 40)))
        .as("capacities out of range")
        .isPositive();
    assertThat(
            count(
                "Classes",
                f -> f.get("Code") instanceof String c && !c.matches("^[A-Z]{3}-\\d{3}$")))
        .as("bad codes")
        .isPositive();
    assertThat(count("Classes", f -> !f.containsKey("Teacher")))
        .as("classes without teacher")
        .isPositive();
    assertThat(count("Classes", f -> f.get("Teacher") instanceof List<?> l && l.size() == 2))
        .as("classes with two teachers")
        .isPositive();
    assertThat(
            count(
                "Classes",
                f -> f.get("Teacher") instanceof List<?> l && !teacherIds.containsAll(l)))
        .as("links to deleted teachers")
        .isPositive();
    assertThat(
            count(
                "Enrollments",
                f -> f.get("Student") instanceof List<?> l && !studentIds.containsAll(l)))
        .as("links to deleted students")
        .isPositive();
    assertThat(
            count(
                "Enrollments",
                f -> f.get("Class") instanceof List<?> l && !classIds.containsAll(l)))
        .as("links to deleted classes")
        .isPositive();
    assertThat(
            count(
                "Classes",
                f ->
                    f.get("End Date") instanceof String e
                        && e.compareTo((String) f.get("Start Date")) < 0))
        .as("end before start")
        .isPositive();
    assertThat(
            count(
                "Classes",
                f -> f.get("Status") instanceof String s && !DemoSchool.CLASS_STATUSES.contains(s)))
        .as("statuses outside options")
        .isPositive();
    assertThat(
            count(
                "Students",
                f -> f.get("Tags") instanceof List<?> l && !DemoSchool.TAGS.containsAll(l)))
        .as("tags outside options")
        .isPositive();
    assertThat(
            count(
                "Enrollments",
                f ->
                    f.get("Enrolled On") instanceof String d && !d.matches("\\d{4}-\\d{2}-\\d{2}")))
        .as("badly formatted dates")
        .isPositive();
    assertThat(
            count(
                "Students",
                f ->
                    f.get("Birth Date") instanceof String d
                        && (d.compareTo("2004-01-01") < 0 || d.compareTo("2012-12-31") > 0)))
        .as("birth dates out of range")
        .isPositive();
  }

  @Test
  void defects_stay_a_few_percent() {
    long noEmail = count("Students", f -> !f.containsKey("Email"));
    assertThat(noEmail).isBetween(100L, 400L);
  }

  @Test
  void select_fields_list_their_choices_and_links_their_table() {
    FieldSchema tags = table("Students").field("Tags").orElseThrow();
    assertThat(tags.type()).isEqualTo("multipleSelects");
    assertThat(tags.choices()).contains("Honors", "Robotics");
    FieldSchema teacher = table("Classes").field("Teacher").orElseThrow();
    assertThat(teacher.linkedTableId()).isEqualTo(table("Teachers").id());
  }

  @Test
  void written_and_loaded_again_it_is_the_same_dataset(@TempDir Path dir) {
    demo.writeTo(dir);
    assertThat(Dataset.load(dir)).isEqualTo(demo);
  }

  @Test
  void a_minimal_directory_gets_ids_schema_and_links_filled_in(@TempDir Path dir)
      throws IOException {
    Files.writeString(dir.resolve("base.json"), "{\"id\": \"appAAAAAAAAAAAAAA\"}");
    Files.writeString(
        dir.resolve("1-people.json"),
        """
        {"name": "People",
         "fields": [{"name": "Name"}, {"name": "Team", "type": "multipleRecordLinks", "linkedTable": "Teams"},
                    {"name": "Role", "type": "singleSelect", "options": {"choices": [{"name": "Dev"}]}}],
         "records": [{"fields": {"Name": "Ada", "Team": ["recTTTTTTTTTTTTTT"], "Role": "Dev", "Note": null}},
                     {"fields": {"Name": "", "Role": "Ops"}}]}
        """);
    Files.writeString(
        dir.resolve("2-teams.json"),
        """
        {"name": "Teams", "records": [{"id": "recTTTTTTTTTTTTTT", "createdTime": "2024-02-03T04:05:06.000Z",
                                       "fields": {"Title": "Core", "Size": 3, "Remote": false}}]}
        """);
    Dataset d = Dataset.load(dir);
    assertThat(d.baseId()).isEqualTo("appAAAAAAAAAAAAAA");
    SimTable people = d.table("People").orElseThrow();
    SimTable teams = d.table("Teams").orElseThrow();
    assertThat(people.field("Team").orElseThrow().linkedTableId()).isEqualTo(teams.id());
    assertThat(people.field("Role").orElseThrow().choices()).containsExactly("Dev");
    assertThat(people.records()).allSatisfy(r -> assertThat(r.id()).matches("rec[A-Za-z0-9]{14}"));
    assertThat(people.records().get(1).fields()).containsOnlyKeys("Role");
    assertThat(teams.fields())
        .extracting(FieldSchema::name, FieldSchema::type)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("Title", "singleLineText"),
            org.assertj.core.groups.Tuple.tuple("Size", "number"),
            org.assertj.core.groups.Tuple.tuple("Remote", "checkbox"));
    assertThat(teams.records().get(0).fields()).containsOnlyKeys("Title", "Size");
    assertThat(Dataset.load(dir)).isEqualTo(d);
  }

  @Test
  void a_record_with_an_undeclared_field_is_refused_naming_the_file(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("t.json"),
        """
        {"name": "T", "fields": [{"name": "A"}], "records": [{"fields": {"B": 1}}]}""");
    assertThatThrownBy(() -> Dataset.load(dir))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("unknown field B")
        .hasMessageContaining(dir.toString());
  }

  @Test
  void broken_json_is_refused_with_file_line_and_column(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("t.json"), "{\"name\": \"T\",\n \"records\": [}");
    assertThatThrownBy(() -> Dataset.load(dir))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("t.json")
        .hasMessageContaining("line 2");
  }

  @Test
  void a_missing_directory_is_refused() {
    assertThatThrownBy(() -> Dataset.load(Path.of("/nonexistent/dataset")))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("/nonexistent/dataset");
  }

  @Test
  void synthetic_tables_are_deterministic_and_sized() {
    Dataset d = Dataset.synthetic(Map.of("Alpha", 3, "Beta", 250));
    assertThat(d).isEqualTo(Dataset.synthetic(Map.of("Beta", 250, "Alpha", 3)));
    assertThat(d.table("Beta").orElseThrow().records()).hasSize(250);
    assertThat(d.table("Alpha").orElseThrow().records().get(2).fields())
        .containsEntry("Name", "Row 3")
        .containsEntry("Number", 3);
  }

  private static Set<String> ids(String table) {
    Set<String> ids = new HashSet<>();
    table(table).records().forEach(r -> ids.add(r.id()));
    return ids;
  }

  @Test
  void a_lookup_declared_over_a_field_that_is_not_a_link_is_refused_naming_the_file(
      @TempDir Path dir) throws IOException {
    Files.writeString(
        dir.resolve("t.json"),
        """
        {"name": "T", "fields": [{"name": "A"},
          {"name": "L", "type": "multipleLookupValues",
           "options": {"recordLinkFieldId": "A", "fieldIdInLinkedTable": "B"}}]}""");
    assertThatThrownBy(() -> Dataset.load(dir))
        .isInstanceOf(SimulatorException.class)
        .hasMessageContaining("t.json")
        .hasMessageContaining("field L")
        .hasMessageContaining("not a link field");
  }

  @Test
  void a_lookup_declared_by_names_gets_ids_and_the_looked_up_type(@TempDir Path dir)
      throws IOException {
    Files.writeString(
        dir.resolve("1-items.json"),
        """
        {"name": "Items", "fields": [{"name": "Title"},
          {"name": "Owner", "type": "multipleRecordLinks", "linkedTable": "Owners"},
          {"name": "Owner mail", "type": "lookup",
           "options": {"recordLinkFieldId": "Owner", "fieldIdInLinkedTable": "Mail"}}]}""");
    Files.writeString(
        dir.resolve("2-owners.json"),
        """
        {"name": "Owners", "fields": [{"name": "Name"}, {"name": "Mail", "type": "email"}]}""");
    Dataset d = Dataset.load(dir);
    SimTable items = d.table("Items").orElseThrow();
    FieldSchema mail = d.table("Owners").orElseThrow().field("Mail").orElseThrow();
    assertThat(items.field("Owner mail").orElseThrow().computed())
        .isEqualTo(
            new dev.integrity.model.BaseSchema.Computed(
                "email", items.field("Owner").orElseThrow().id(), mail.id()));
    d.writeTo(dir.resolve("again"));
    assertThat(Dataset.load(dir.resolve("again")).schema()).isEqualTo(d.schema());
  }
}
