package dev.integrity.check;

import static dev.integrity.check.Fixtures.engine;
import static dev.integrity.check.Fixtures.rec;
import static dev.integrity.check.Fixtures.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.config.CheckSpec;
import dev.integrity.config.Severity;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A rule's evaluation error reads as a person would write it, CEL's text only as a fallback. */
class RuleErrorMessageTest {

  private static String message(String expr, Object... fields) {
    CheckEngine engine = engine(new CheckSpec.Rule("r1", expr, null, Severity.WARN, null));
    List<Issue> issues = run(engine, rec("rec1", fields));
    assertThat(issues).hasSize(1);
    return issues.getFirst().message();
  }

  @Test
  void aNumberStoredAsTextComparedWithANumberNamesTheFieldItsValueAndTheFix() {
    assertThat(
            message(
                "r[\"Status\"] != \"Active\" || !(\"Capacity\" in r) || r[\"Capacity\"] >= 10",
                "Status",
                "Active",
                "Capacity",
                "16"))
        .isEqualTo(
            "rule r1 could not be evaluated: Capacity is text ('16'), not a number: use"
                + " int(r.Capacity)");
  }

  @Test
  void theFieldAtTheFailingOperatorIsNamedWhenTheRuleComparesTwo() {
    assertThat(message("r.Seats >= 10 && r.Rate > 1", "Seats", 12L, "Rate", "2.5"))
        .isEqualTo(
            "rule r1 could not be evaluated: Rate is text ('2.5'), not a number: use"
                + " double(r.Rate)");
  }

  @Test
  void arithmeticOnTextThatIsNoNumberSaysSoWithoutAFixAndQuotesAFieldNameWithASpace() {
    assertThat(message("r[\"Max Seats\"] - 1 > 0", "Max Seats", "many"))
        .isEqualTo("rule r1 could not be evaluated: Max Seats is text ('many'), not a number");
    assertThat(message("r[\"Max Seats\"] * 2 > 0", "Max Seats", "7"))
        .endsWith("use int(r[\"Max Seats\"])");
  }

  @Test
  void anotherTypeMismatchDescribesEachSide() {
    assertThat(message("r.Tags > 2", "Tags", List.of("a", "b")))
        .isEqualTo(
            "rule r1 could not be evaluated: '>' cannot compare Tags (the list 'a, b') with the"
                + " number 2");
  }

  @Test
  void anErrorNamingNoFieldKeepsCelsText() {
    assertThat(message("size(r.Name) + r.Tags[0] > 0", "Name", "Ada", "Tags", List.of("x")))
        .startsWith("rule r1 could not be evaluated: No matching overload for function '_+_'");
  }
}
