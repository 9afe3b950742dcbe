package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.Severity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequiredCheckTest {
  private final CheckEngine engine = engine(new CheckSpec.Required(List.of("Name", "Email")));

  @Test
  void one_issue_per_record_and_per_missing_field() {
    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Name", "Ada", "Email", "ada@example.com"),
            rec("rec2"),
            rec("rec3", "Name", "Bob"));

    assertThat(issues)
        .extracting(i -> i.recordId() + " " + i.field() + ": " + i.message())
        .containsExactly(
            "rec2 Name: Name is missing",
            "rec2 Email: Email is missing",
            "rec3 Email: Email is missing");
    assertThat(issues.getFirst())
        .isEqualTo(
            new Issue(
                "things", "rec2", "required:Name+Email", "Name", Severity.FAIL, "Name is missing"));
  }

  @Test
  void empty_string_whitespace_empty_list_empty_object_and_false_count_as_empty() {
    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Name", "", "Email", "  \t"),
            rec("rec2", "Name", List.of(), "Email", Map.of()),
            rec("rec3", "Name", false, "Email", null));

    assertThat(issues)
        .extracting(i -> i.recordId() + " " + i.field() + ": " + i.message())
        .containsExactly(
            "rec1 Name: Name is empty: ''",
            "rec1 Email: Email is empty: '   '",
            "rec2 Name: Name is empty: ''",
            "rec2 Email: Email is empty: '{}'",
            "rec3 Name: Name is empty: 'false'",
            "rec3 Email: Email is missing");
  }

  @Test
  void zero_true_a_list_with_a_value_and_an_attachment_are_present() {
    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Name", 0L, "Email", true),
            rec(
                "rec2",
                "Name",
                List.of("recX"),
                "Email",
                Map.of("id", "att1", "filename", "a.pdf")));

    assertThat(issues).isEmpty();
  }
}
