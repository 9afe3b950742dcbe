package dev.integrity.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code airtable.monthlyCallBudget}: the named plan thresholds, numbers, and refusals. */
class CallBudgetConfigTest {
  private static final Path FILE = Path.of("integrity.yml");
  private static final Map<String, String> ENV = Map.of("AIRTABLE_TOKEN", "patSECRET123.abc");

  private static String yaml(String budgetLine) {
    return """
        airtable:
          baseId: appBASE
        %s
        entities:
          teachers:
            table: Teachers
            checks:
              - required: [Name]
        """
        .formatted(budgetLine);
  }

  private static CallBudget budget(String budgetLine) {
    return ConfigLoader.parse(yaml(budgetLine), FILE, ENV).airtable().monthlyCallBudget();
  }

  @Test
  void without_the_key_a_base_has_no_monthly_budget() {
    CallBudget budget = budget("");

    assertThat(budget.limited()).isFalse();
    assertThat(budget.describe()).isEqualTo("no monthly budget");
  }

  @Test
  void the_plans_name_airtable_s_monthly_limits_and_a_number_is_taken_as_it_is() {
    assertThat(budget("  monthlyCallBudget: free").calls()).isEqualTo(1_000L);
    assertThat(budget("  monthlyCallBudget: Team").calls()).isEqualTo(100_000L);
    assertThat(budget("  monthlyCallBudget: business").limited()).isFalse();
    assertThat(budget("  monthlyCallBudget: enterprise").limited()).isFalse();
    assertThat(budget("  monthlyCallBudget: 25000").calls()).isEqualTo(25_000L);
    assertThat(budget("  monthlyCallBudget: '25,000'").calls()).isEqualTo(25_000L);
    assertThat(budget("  monthlyCallBudget: free").describe()).isEqualTo("1,000 (free)");
    assertThat(budget("  monthlyCallBudget: business").describe())
        .isEqualTo("no monthly budget (business)");
  }

  @Test
  void a_budget_that_is_no_plan_and_no_positive_number_is_refused_at_its_line_naming_the_field() {
    for (String bad : List.of("pro", "0", "-5", "1.5", "[1000]")) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class,
              () -> ConfigLoader.parse(yaml("  monthlyCallBudget: " + bad), FILE, ENV));

      assertThat(e).as(bad).isNotNull();
      assertThat(e.problems()).as(bad).hasSize(1);
      ConfigProblem p = e.problems().getFirst();
      assertThat(p.file()).isEqualTo(FILE);
      assertThat(p.line()).as(bad).isEqualTo(3);
      assertThat(p.column()).as(bad).isEqualTo(22);
      assertThat(p.path()).isEqualTo("airtable.monthlyCallBudget");
      if (!bad.startsWith("[")) {
        assertThat(p.message())
            .contains("free (1,000 calls a month), team (100,000), business")
            .contains("got '" + bad + "'");
      }
      assertThat(p.toString()).startsWith("integrity.yml:3:22: airtable.monthlyCallBudget: ");
    }
  }
}
