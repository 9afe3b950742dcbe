package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.app.IntegrityApp;
import dev.integrity.model.RunMode;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.store.IssueFilter;
import dev.integrity.testing.TestBases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code computed: all} and {@code similar} in a real run: the simulator serves formula, rollup and
 * lookup error values over HTTP, the run reads the schema, resolves {@code all} to the computed
 * fields and asks for them, and finds the near-duplicates of the table.
 */
class ValueChecksRunTest {
  private static final String STUDENTS =
      """
      {
        "id": "tblStudents000001",
        "name": "Students",
        "primaryField": "Name",
        "fields": [
          {"name": "Name"},
          {"name": "Birth Date", "type": "date"},
          {"name": "Points", "type": "number"},
          {"name": "GPA", "type": "formula", "options": {"result": {"type": "number"}}},
          {"name": "Average", "type": "rollup", "options": {"result": {"type": "number"}}},
          {"name": "Marks", "type": "multipleLookupValues",
           "options": {"result": {"type": "number"}}},
          {"name": "Note", "type": "multilineText"}
        ],
        "records": [
          {"id": "recStudent000001a", "fields": {"Name": "Jon Smith", "Birth Date": "2010-04-01",
            "GPA": {"error": "#ERROR!"}, "Average": 3, "Marks": [3, 4]}},
          {"id": "recStudent000002a", "fields": {"Name": "John Smith", "Birth Date": "2010-04-01",
            "GPA": 3.5, "Average": {"specialValue": "NaN"}, "Marks": [3, {"error": "#ERROR!"}]}},
          {"id": "recStudent000003a", "fields": {"Name": "Ada Lovelace", "Birth Date": "2010-04-01",
            "GPA": {"specialValue": "Infinity"}, "Note": "fine"}},
          {"id": "recStudent000004a", "fields": {"Name": "Jon Smith", "Birth Date": "2011-01-01",
            "GPA": 3.1}}
        ]
      }
      """;

  @TempDir Path dir;
  private AirtableSimulator sim;

  @AfterEach
  void stopSimulator() {
    if (sim != null) {
      sim.close();
    }
  }

  @Test
  void a_run_finds_error_values_of_every_computed_field_and_near_duplicates() throws IOException {
    Path data = Files.createDirectories(dir.resolve("appValueChecks001"));
    Files.writeString(data.resolve("base.json"), "{\"id\": \"appValueChecks001\"}");
    Files.writeString(data.resolve("01-students.json"), STUDENTS);
    Dataset dataset = Dataset.load(data);
    sim =
        AirtableSimulator.builder()
            .dataset(dataset)
            .rateLimitPerSecond(0)
            .token("patSecretToken1234567890.abcdef")
            .build()
            .start();
    Path config =
        TestBases.config(
            dir,
            dataset.baseId(),
            """
              students:
                table: Students
                checks:
                  - computed: all
                  - similar: {fields: [Name], same: [Birth Date]}
            """);

    try (IntegrityApp app =
        IntegrityApp.builder().environment(TestBases.env(sim, dir, 30)).config(config).build()) {
      RunRecord run =
          app.execute(app.start(null, Trigger.MANUAL, List.of("students"), RunMode.FULL).id());

      assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
      assertThat(
              app.store().issues().list(run.id(), IssueFilter.ALL, 100, 0).stream()
                  .map(i -> i.recordId() + " " + i.checkId() + " " + i.message())
                  .sorted()
                  .toList())
          .containsExactly(
              "recStudent000001a computed:all GPA is #ERROR!",
              "recStudent000001a similar:Name Name 'Jon Smith' is like recStudent000002a"
                  + " 'John Smith' (0.97)",
              "recStudent000002a computed:all Average is NaN",
              "recStudent000002a computed:all Marks holds #ERROR! (1 of 2 values)",
              "recStudent000002a similar:Name Name 'John Smith' is like recStudent000001a"
                  + " 'Jon Smith' (0.97)",
              "recStudent000003a computed:all GPA is Infinity");
    }
  }
}
