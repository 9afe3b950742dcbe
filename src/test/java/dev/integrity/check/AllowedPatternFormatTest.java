package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.CheckSpec.Format.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllowedPatternFormatTest {

  @Test
  void allowed_gives_one_issue_per_record_listing_each_value_not_allowed_and_skips_absent() {
    CheckEngine engine = engine(new CheckSpec.Allowed("Status", List.of("Active", "Archived")));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Status", "Active"),
            rec("rec2", "Status", "Pending"),
            rec("rec3"),
            rec("rec4", "Status", List.of("Active", "Draft", "Old")),
            rec("rec5", "Status", List.of("Archived", "Active")),
            rec("rec6", "Status", "active"));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly(
            "rec2: Status 'Pending' is not an allowed value (Active, Archived)",
            "rec4: Status 'Draft', 'Old' are not allowed values (Active, Archived)",
            "rec6: Status 'active' is not an allowed value (Active, Archived)");
  }

  @Test
  void allowed_compares_numbers_and_booleans_by_their_text() {
    CheckEngine engine = engine(new CheckSpec.Allowed("Level", List.of("1", "2", "true")));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Level", 1L),
            rec("rec2", "Level", 2.0),
            rec("rec3", "Level", "2"),
            rec("rec4", "Level", true),
            rec("rec5", "Level", 3));

    assertThat(issues).extracting(Issue::recordId).containsExactly("rec5");
  }

  @Test
  void an_issue_carries_the_offending_value_whole_while_its_message_quotes_it_shortened() {
    CheckEngine engine = engine(new CheckSpec.Pattern("Code", "^[A-Z]{3}-\\d{3}$"));
    String longValue = "line one, \"quoted\"\nline two " + "x".repeat(300);

    List<Issue> issues = run(engine, rec("rec1", "Code", longValue));

    assertThat(issues)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.value()).isEqualTo(longValue);
              assertThat(i.message()).doesNotContain(longValue).startsWith("Code 'line one");
            });
  }

  @Test
  void pattern_uses_find_semantics_so_anchors_decide_and_skips_absent_values() {
    CheckEngine engine = engine(new CheckSpec.Pattern("Code", "^[A-Z]{3}-\\d{3}$"));
    CheckEngine unanchored = engine(new CheckSpec.Pattern("Code", "\\d{3}"));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Code", "ABC-123"),
            rec("rec2", "Code", "xABC-123"),
            rec("rec3"),
            rec("rec4", "Code", "abc-123"));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly(
            "rec2: Code 'xABC-123' does not match ^[A-Z]{3}-\\d{3}$",
            "rec4: Code 'abc-123' does not match ^[A-Z]{3}-\\d{3}$");
    assertThat(run(unanchored, rec("rec1", "Code", "xx123yy"))).isEmpty();
  }

  @Test
  void pattern_reads_numbers_as_their_text_and_checks_each_list_element() {
    CheckEngine engine = engine(new CheckSpec.Pattern("Code", "^\\d+$"));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Code", 12L),
            rec("rec2", "Code", 12.0),
            rec("rec3", "Code", 12.5),
            rec("rec4", "Code", List.of("1", "x", "2")));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly(
            "rec3: Code '12.5' does not match ^\\d+$", "rec4: Code 'x' does not match ^\\d+$");
  }

  @Test
  void a_pathological_regex_over_a_long_value_finishes_within_a_deadline() {
    CheckEngine engine = engine(new CheckSpec.Pattern("Text", "(a+)+$"));
    String evil = "a".repeat(100_000) + "!";

    List<Issue> issues =
        assertTimeoutPreemptively(
            Duration.ofSeconds(5), () -> run(engine, rec("rec1", "Text", evil)));

    assertThat(issues)
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.message()).startsWith("Text '" + "a".repeat(80) + "…'");
              assertThat(i.message().length()).isLessThan(140);
            });
  }

  @Test
  void email_format_accepts_common_addresses_and_refuses_malformed_ones() {
    CheckEngine engine = engine(new CheckSpec.Format("Email", Kind.EMAIL));

    List<Issue> issues =
        run(
            engine,
            rec("ok1", "Email", "ada@example.com"),
            rec("ok2", "Email", "first.last+tag@mail.example.co.uk"),
            rec("bad1", "Email", "ada@example"),
            rec("bad2", "Email", "ada.example.com"),
            rec("bad3", "Email", "ada@@example.com"),
            rec("bad4", "Email", " ada@example.com"),
            rec("bad5", "Email", "ada@-example.com"),
            rec("bad6", "Email", ".ada@example.com"),
            rec("bad7", "Email", 42L));

    assertThat(issues)
        .extracting(Issue::recordId)
        .containsExactly("bad1", "bad2", "bad3", "bad4", "bad5", "bad6", "bad7");
    assertThat(issues.getFirst().message()).isEqualTo("Email 'ada@example' is not a valid email");
  }

  @Test
  void url_format_needs_http_or_https_and_a_host() {
    CheckEngine engine = engine(new CheckSpec.Format("Site", Kind.URL));

    List<Issue> issues =
        run(
            engine,
            rec("ok1", "Site", "https://example.com/a?b=c"),
            rec("ok2", "Site", "HTTP://127.0.0.1:8080"),
            rec("bad1", "Site", "example.com"),
            rec("bad2", "Site", "ftp://example.com"),
            rec("bad3", "Site", "https://exa mple.com"),
            rec("bad4", "Site", "https:///path"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("bad1", "bad2", "bad3", "bad4");
  }

  @Test
  void phone_format_needs_7_to_15_digits_and_allows_common_punctuation() {
    CheckEngine engine = engine(new CheckSpec.Format("Phone", Kind.PHONE));

    List<Issue> issues =
        run(
            engine,
            rec("ok1", "Phone", "+1 (555) 123-4567"),
            rec("ok2", "Phone", "030.1234567"),
            rec("ok3", "Phone", 5551234567L),
            rec("bad1", "Phone", "12345"),
            rec("bad2", "Phone", "555-CALL-NOW"),
            rec("bad3", "Phone", "1+5551234567"),
            rec("bad4", "Phone", "1234567890123456"));

    assertThat(issues).extracting(Issue::recordId).containsExactly("bad1", "bad2", "bad3", "bad4");
  }

  @Test
  void date_format_accepts_iso_dates_and_date_times_only() {
    CheckEngine engine = engine(new CheckSpec.Format("When", Kind.DATE));

    List<Issue> issues =
        run(
            engine,
            rec("ok1", "When", "2024-02-29"),
            rec("ok2", "When", "2024-01-05T10:00:00.000Z"),
            rec("ok3", "When", "2024-01-05T10:00:00+02:00"),
            rec("ok4", "When", "2024-01-05T10:00"),
            rec("bad1", "When", "2023-02-29"),
            rec("bad2", "When", "05/01/2024"),
            rec("bad3", "When", "2024-1-5"),
            rec("bad4", "When", 20240105L));

    assertThat(issues).extracting(Issue::recordId).containsExactly("bad1", "bad2", "bad3", "bad4");
  }

  @Test
  void format_checks_each_element_of_a_lookup_list_and_reads_collaborators_by_display_text() {
    CheckEngine engine = engine(new CheckSpec.Format("Emails", Kind.EMAIL));

    List<Issue> issues =
        run(
            engine,
            rec("rec1", "Emails", List.of("a@x.io", "nope", "b@x.io")),
            rec("rec2", "Emails", Map.of("id", "usr1", "email", "c@x.io")));

    assertThat(issues)
        .extracting(i -> i.recordId() + ": " + i.message())
        .containsExactly("rec1: Emails 'nope' is not a valid email");
  }
}
