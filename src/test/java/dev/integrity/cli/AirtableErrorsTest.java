package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.testing.CapturedLogs;
import dev.integrity.testing.TestBases;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Airtable's words in every error: {@code init}, {@code validate --online} and {@code run} (text
 * and JSON) each show, for a failure of the schema call (Meta API) or of a list-records call, the
 * HTTP status, Airtable's error type and Airtable's message, whichever of Airtable's two error
 * envelopes carried them; a 403 on the schema says what to check; the exit code is the contract's;
 * the token never shows, even when the server echoes it.
 */
class AirtableErrorsTest {
  private static final String TOKEN = "patErrorsCliSecret.0123456789abcdef0123456789abcdef";
  private static final String BASE = "appErrorsBase0001";
  private static final String SCHEMA_PATH = "/v0/meta/bases/" + BASE + "/tables";

  private static final String SCHEMA =
      """
      {"tables":[{"id":"tblTeachers000001","name":"Teachers","primaryFieldId":"fldName0000000001",
        "fields":[{"id":"fldName0000000001","name":"Name","type":"singleLineText"}]}]}
      """;

  private static final String FORBIDDEN_MESSAGE =
      "Invalid permissions, or the requested model was not found. Check that both your user and"
          + " your token have the required permissions, and that the model names and/or ids are"
          + " correct";

  /**
   * One scripted failure: what Airtable answers, and what a person must read of it (status, type,
   * message; null where the envelope has no message).
   */
  record Failure(int status, String body, String type, String message) {
    static Failure object(int status, String type, String message) {
      return new Failure(
          status,
          "{\"error\":{\"type\":\"" + type + "\",\"message\":\"" + message + "\"}}",
          type,
          message);
    }

    @Override
    public String toString() {
      return status + " " + type;
    }
  }

  private static final List<Failure> FAILURES =
      List.of(
          // The server echoes the token: it is masked wherever the message goes.
          new Failure(
              401,
              "{\"error\":{\"type\":\"AUTHENTICATION_REQUIRED\",\"message\":\"Authentication"
                  + " required; got Bearer "
                  + TOKEN
                  + "\"}}",
              "AUTHENTICATION_REQUIRED",
              "Authentication required; got Bearer ****"),
          Failure.object(403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND", FORBIDDEN_MESSAGE),
          new Failure(404, "{\"error\":\"NOT_FOUND\"}", "NOT_FOUND", null),
          Failure.object(
              422,
              "INVALID_FILTER_BY_FORMULA",
              "The formula for filtering records is invalid: Unknown field names: statsu"),
          Failure.object(500, "SERVER_ERROR", "Something went wrong on our side"));

  /** Which call fails. */
  enum Call {
    SCHEMA,
    RECORDS
  }

  /** How the command is run and where its error shows. */
  enum Command {
    INIT,
    VALIDATE,
    RUN_TEXT,
    RUN_JSON;

    /** init and validate read the schema only. */
    boolean makes(Call call) {
      return call == Call.SCHEMA || this == RUN_TEXT || this == RUN_JSON;
    }
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> cases() {
    List<org.junit.jupiter.params.provider.Arguments> out = new ArrayList<>();
    for (Command command : Command.values()) {
      for (Call call : Call.values()) {
        if (!command.makes(call)) {
          continue;
        }
        for (Failure failure : FAILURES) {
          out.add(org.junit.jupiter.params.provider.Arguments.of(command, call, failure));
        }
      }
    }
    return out.stream();
  }

  @TempDir Path dir;
  @RegisterExtension CapturedLogs logs = CapturedLogs.root();
  private final MockWebServer airtable = new MockWebServer();
  private Map<String, String> env;
  private Path config;

  @BeforeEach
  void start() throws Exception {
    airtable.start();
    env = new HashMap<>();
    env.put("AIRTABLE_BASE_URL", airtable.url("/").toString());
    env.put("AIRTABLE_TOKEN", TOKEN);
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "5");
    env.put("AIRTABLE_CONNECT_TIMEOUT_SECONDS", "5");
    env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "5");
    // One retry: a 500 is retried once, then reported with Airtable's words.
    env.put("AIRTABLE_MAX_RETRIES", "1");
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "100");
    env.put("MAX_RUN_DURATION_SECONDS", "60");
    env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("integrity.db"));
  }

  @AfterEach
  void stop() {
    airtable.close();
  }

  /** Answers the schema, and records, or {@code failure} on the call that fails. */
  private void script(Call failing, Failure failure) {
    MockResponse error =
        new MockResponse.Builder()
            .code(failure.status())
            .setHeader("Content-Type", "application/json")
            .body(failure.body())
            .build();
    airtable.setDispatcher(
        new Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            boolean schema = request.getUrl().encodedPath().equals(SCHEMA_PATH);
            if (schema == (failing == Call.SCHEMA)) {
              return error;
            }
            return new MockResponse.Builder()
                .code(200)
                .setHeader("Content-Type", "application/json")
                .body(schema ? SCHEMA : "{\"records\":[]}")
                .build();
          }
        });
  }

  private CliRun cli(Command command) {
    config =
        TestBases.config(
            dir,
            BASE,
            """
              teachers:
                table: Teachers
                checks:
                  - required: [Name]
            """);
    return switch (command) {
      case INIT -> CliRun.of(env, Clock.systemUTC(), "init", "--base", BASE);
      case VALIDATE ->
          CliRun.of(env, Clock.systemUTC(), "validate", "--config", config.toString(), "--online");
      case RUN_TEXT -> CliRun.of(env, Clock.systemUTC(), "run", "--config", config.toString());
      case RUN_JSON ->
          CliRun.of(
              env, Clock.systemUTC(), "run", "--config", config.toString(), "--format", "json");
    };
  }

  /** The text where the command puts Airtable's error. */
  private static String shown(Command command, Call call, CliRun r) {
    return switch (command) {
      case INIT, VALIDATE -> r.err();
      case RUN_TEXT -> r.out();
      case RUN_JSON -> {
        JsonNode run = r.json();
        yield call == Call.SCHEMA
            ? run.path("error").asText()
            : run.path("entities").path(0).path("error").asText();
      }
    };
  }

  @ParameterizedTest(name = "{0} with {2} on the {1} call")
  @MethodSource("cases")
  void every_command_shows_airtables_status_type_and_message(
      Command command, Call call, Failure failure) {
    script(call, failure);

    CliRun r = cli(command);

    String shown = shown(command, call, r);
    assertThat(r.code()).as("exit code; stderr: %s", r.err()).isEqualTo(ExitCode.ERROR);
    String words =
        "HTTP "
            + failure.status()
            + " "
            + failure.type()
            + (failure.message() == null ? ")" : ": " + failure.message() + ")");
    assertThat(shown).as("what %s shows", command).contains(words);
    switch (command) {
      case INIT, VALIDATE -> {
        assertThat(r.out()).as("nothing claims success").isEmpty();
        assertThat(r.err().lines().toList()).as("one line: %s", r.err()).hasSize(1);
        assertThat(r.err())
            .startsWith(
                command == Command.INIT
                    ? "integrity: Airtable "
                    : "integrity: "
                        + config
                        + " is valid offline, but the online check failed: Airtable ");
      }
      case RUN_TEXT ->
          assertThat(r.out().lines())
              .as("the run's Error line")
              .anySatisfy(line -> assertThat(line).startsWith("Error: ").contains(words));
      case RUN_JSON ->
          assertThat(r.json().path("error").asText()).as("the run's error").contains(words);
    }
    if (failure.status() == 403 || failure.status() == 404) {
      assertThat(shown)
          .contains(
              call == Call.SCHEMA
                  ? "the base id "
                      + BASE
                      + " may be wrong, or the token may lack access to the base or the"
                      + " schema.bases:read scope"
                  : "the base id "
                      + BASE
                      + " or the table 'Teachers' may be wrong, or the token may lack access to"
                      + " the base or the data.records:read scope");
    }
    if (command == Command.RUN_TEXT || command == Command.RUN_JSON) {
      assertThat(logged()).as("the log").anySatisfy(line -> assertThat(line).contains(words));
    }
    assertThat(r.out() + r.err() + String.join("\n", logged()))
        .as("the token")
        .doesNotContain(TOKEN);
  }

  private List<String> logged() {
    List<String> lines = new ArrayList<>();
    for (ILoggingEvent e : logs.events()) {
      lines.add(
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null
                  ? ""
                  : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())));
    }
    return lines;
  }
}
