package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a rule reads through {@code linked(r, "Field")}, and the config errors it can make. */
class LinkedRulesTest {
  private static final Path FILE = Path.of("school.yml");

  private static List<ConfigProblem> problems(String entities) {
    String yaml =
        """
        airtable:
          baseId: appBASE
          token: literal-token
        entities:
        """
            + entities;
    ConfigException e =
        catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse(yaml, FILE, Map.of()));
    assertThat(e).as("expected the config to be refused").isNotNull();
    return e.problems();
  }

  @Test
  void aRuleThroughLinkedWithoutALinkCheckOnThatFieldIsAnErrorNamingFileLineAndField() {
    List<ConfigProblem> problems =
        problems(
            """
              teachers:
                table: Teachers
              classes:
                table: Classes
                checks:
                  - required: [Name]
                  - rule: {name: teacher-active, expr: 'linked(r, "Teacher").all(t, t.Status == "Active")'}
            """);

    assertThat(problems)
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.file()).isEqualTo(FILE);
              assertThat(p.line()).isEqualTo(11);
              assertThat(p.message())
                  .contains("rule teacher-active", "no link check on field 'Teacher'");
              assertThat(p.toString()).contains("school.yml", "11");
            });
  }

  @Test
  void linkedTakesTheRecordAndAFieldNameInQuotes() {
    List<ConfigProblem> problems =
        problems(
            """
              classes:
                table: Classes
                checks:
                  - link: {field: Teacher, to: classes}
                  - rule: {name: computed, expr: 'size(linked(r, "Tea" + "cher")) > 0'}
            """);

    assertThat(problems)
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("linked(r, \"Teacher\")"));
  }

  @Test
  void theFieldsReadThroughLinkedAreFoundPerLinkField() {
    RuleLanguage.RecordReads reads =
        RuleLanguage.recordReads(
            "linked(r, \"Teacher\").all(t, t.Status == \"Active\" && has(t.Email))"
                + " && sum(linked(r, \"Enrollments\").map(e, e[\"Hours\"])) <= 40"
                + " && size(linked(r, \"Rooms\")) <= int(r.Capacity)"
                + " && linked(r, \"Teacher\")[0].Name != ''");

    assertThat(reads.wholeRecord()).isFalse();
    assertThat(reads.fields()).containsExactly("Teacher", "Enrollments", "Rooms", "Capacity");
    assertThat(reads.linked())
        .containsExactly(
            Map.entry(
                "Teacher", new RuleLanguage.TargetReads(List.of("Status", "Email", "Name"), false)),
            Map.entry("Enrollments", new RuleLanguage.TargetReads(List.of("Hours"), false)),
            Map.entry("Rooms", new RuleLanguage.TargetReads(List.of(), false)));
  }

  @Test
  void aFilterOfLinkedRecordsReadsWhatItsConditionAndItsConsumerRead() {
    assertThat(
            RuleLanguage.recordReads(
                    "size(linked(r, \"Teacher\").filter(t, t.Status == \"Active\")) > 0")
                .linked())
        .containsExactly(
            Map.entry("Teacher", new RuleLanguage.TargetReads(List.of("Status"), false)));
    assertThat(
            RuleLanguage.recordReads(
                    "sum(linked(r, \"Enrollments\").filter(e, e.Active).map(e, e.Hours)) <= 40"
                        + " && linked(r, \"Enrollments\").filter(e, has(e.Grade))[0].Term != ''")
                .linked())
        .containsExactly(
            Map.entry(
                "Enrollments",
                new RuleLanguage.TargetReads(List.of("Active", "Hours", "Term", "Grade"), false)));
  }

  @Test
  void aLinkedRecordUsedWholeReadsEveryFieldOfTheTarget() {
    assertThat(
            RuleLanguage.recordReads(
                    "linked(r, \"Teacher\").filter(t, t.Status == \"Active\") == []")
                .linked()
                .get("Teacher"))
        .isEqualTo(new RuleLanguage.TargetReads(List.of("Status"), true));
    assertThat(
            RuleLanguage.recordReads("linked(r, \"Teacher\").exists(t, t == {})")
                .linked()
                .get("Teacher")
                .wholeRecord())
        .isTrue();
    assertThat(RuleLanguage.recordReads("linked(r, \"Teacher\") != []").linked().get("Teacher"))
        .isEqualTo(new RuleLanguage.TargetReads(List.of(), true));
  }

  @Test
  void theFieldsOfATargetAreThoseEveryEntitysRulesReadOfIt() {
    IntegrityConfig config =
        ConfigLoader.parse(
            """
            airtable:
              baseId: appBASE
              token: literal-token
            entities:
              teachers:
                table: Teachers
              classes:
                table: Classes
                checks:
                  - link: {field: Teacher, to: teachers}
                  - rule: {name: active, expr: 'linked(r, "Teacher").all(t, t.Status == "Active")'}
              clubs:
                table: Clubs
                checks:
                  - link: {field: Coach, to: teachers}
                  - rule: {name: coach, expr: 'linked(r, "Coach").exists(c, c["Sport"] == r.Sport)'}
            """,
            FILE,
            Map.of());

    assertThat(LinkedRules.readsOf(config, "teachers"))
        .isEqualTo(new RuleLanguage.TargetReads(List.of("Status", "Sport"), false));
    assertThat(LinkedRules.targetsOf(config.entities().get("clubs"))).containsExactly("teachers");
    assertThat(LinkedRules.readsOf(config, "classes").fields()).isEmpty();
  }
}
