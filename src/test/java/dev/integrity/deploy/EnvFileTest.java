package dev.integrity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.config.ConfigException;
import dev.integrity.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code .env.example} read the way its two consumers read it, since a user copies it to {@code
 * .env} and hands it to both: systemd's {@code EnvironmentFile=} (systemd.exec(5): empty lines and
 * lines starting with {@code #} or {@code ;} are comments; leading and trailing whitespace of a
 * value is stripped; surrounding quotes are removed) and {@code kubectl create secret
 * --from-env-file} (Kubernetes docs: lines beginning with {@code #} and blank lines are ignored,
 * each other line is VAR=VAL with everything after the first {@code =} the value; quotes are kept).
 * Neither knows a comment after a value, so one there becomes part of the value.
 */
class EnvFileTest {
  private static final Path EXAMPLE = Path.of(".env.example");
  // kubectl refuses a key that is not a valid environment variable name.
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

  /** systemd's EnvironmentFile= rules, as far as a file without escapes or continuations needs. */
  static Map<String, String> asSystemdReadsIt(List<String> lines) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";") || !t.contains("=")) {
        continue;
      }
      int eq = t.indexOf('=');
      String value = t.substring(eq + 1).strip();
      if (value.length() >= 2
          && (value.startsWith("\"") && value.endsWith("\"")
              || value.startsWith("'") && value.endsWith("'"))) {
        value = value.substring(1, value.length() - 1);
      }
      env.put(t.substring(0, eq).strip(), value);
    }
    return env;
  }

  /** kubectl's --from-env-file rules: the value is everything after the first '=', verbatim. */
  static Map<String, String> asKubectlReadsIt(List<String> lines) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : lines) {
      String t = line.stripLeading();
      if (t.isEmpty() || t.startsWith("#")) {
        continue;
      }
      int eq = t.indexOf('=');
      assertThat(eq).as("kubectl needs VAR=VAL: %s", line).isPositive();
      String key = t.substring(0, eq);
      assertThat(key).as("kubectl's key rule: %s", line).matches(KEY);
      env.put(key, t.substring(eq + 1));
    }
    return env;
  }

  private static List<String> example() throws IOException {
    return Files.readAllLines(EXAMPLE);
  }

  @Test
  void systemdAndKubectlReadTheSameVariablesOutOfTheExample() throws IOException {
    Map<String, String> systemd = asSystemdReadsIt(example());
    assertThat(systemd).containsKeys("AIRTABLE_TOKEN", "INTEGRITY_API_TOKEN", "INTEGRITY_DB_URL");
    assertThat(asKubectlReadsIt(example())).isEqualTo(systemd);
  }

  @Test
  void noValueOfTheExampleCarriesACommentQuotesOrStraySpaces() throws IOException {
    asKubectlReadsIt(example())
        .forEach(
            (key, value) ->
                assertThat(value)
                    .as(key)
                    .doesNotContain("#")
                    .doesNotContain("\"")
                    .doesNotContain("'")
                    .isEqualTo(value.strip()));
    for (String line : example()) {
      assertThat(line).as("no trailing spaces").isEqualTo(line.stripTrailing());
      assertThat(line).as("';' is a comment to systemd only").doesNotStartWith(";");
    }
  }

  @Test
  void theServiceStartsWithTheExampleAsSystemdOrKubectlPassesIt() throws IOException {
    for (Map<String, String> env :
        List.of(asSystemdReadsIt(example()), asKubectlReadsIt(example()))) {
      assertThatCode(() -> Settings.from(env)).doesNotThrowAnyException();
    }
  }

  @Test
  void aCommentAfterAValueIsPartOfTheValueAndTheServiceRefusesIt() {
    // The reason for the rules above: the example's old form, as systemd hands it over.
    Map<String, String> env =
        asSystemdReadsIt(
            List.of(
                "AIRTABLE_REQUEST_TIMEOUT_SECONDS=300     # hard deadline for one HTTP request",
                "INTEGRITY_API_TOKEN=                     # required when serve binds 0.0.0.0"));
    assertThat(env.get("INTEGRITY_API_TOKEN")).startsWith("#");
    assertThatThrownBy(() -> Settings.from(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("AIRTABLE_REQUEST_TIMEOUT_SECONDS");
  }
}
