package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.TOKEN;
import static dev.integrity.airtable.Fixtures.error;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.integrity.Ticker;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every error type's message: what failed, where, and what to do; never the token. */
class ErrorMessagesTest {
  private final MockWebServer server = new MockWebServer();
  private AirtableClient client;

  @BeforeEach
  void start() throws Exception {
    server.start();
    client = new AirtableClient(settings(server).maxRetries(3).build(), Ticker.system(), null);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private <T extends AirtableException> T failure(Class<T> type) {
    T e =
        catchThrowableOfType(
            type,
            () ->
                client.listRecords(
                    BASE, "Teachers", ListOptions.all(), FetchControl.create(), p -> {}));
    assertThat(e).as("expected %s", type.getSimpleName()).isNotNull();
    assertThat(e.getMessage()).doesNotContain(TOKEN);
    assertThat(e.baseId()).isEqualTo(BASE);
    assertThat(server.getRequestCount()).as("not retried").isEqualTo(1);
    return e;
  }

  @Test
  void a_401_says_the_token_was_rejected_and_names_the_variable() {
    server.enqueue(error(401, "AUTHENTICATION_REQUIRED", "Authentication required"));

    AirtableAuthException e = failure(AirtableAuthException.class);

    assertThat(e.getMessage())
        .contains("rejected the token")
        .contains("HTTP 401 AUTHENTICATION_REQUIRED: Authentication required")
        .contains("AIRTABLE_TOKEN")
        .contains("table 'Teachers' of base " + BASE);
    assertThat(e.status()).isEqualTo(401);
    assertThat(e.errorType()).isEqualTo("AUTHENTICATION_REQUIRED");
    assertThat(e.errorMessage()).isEqualTo("Authentication required");
  }

  @Test
  void a_403_with_the_object_envelope_names_base_table_and_airtables_type() {
    server.enqueue(
        error(
            403,
            "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
            "Invalid permissions, or the requested model was not found."));

    AirtableAccessException e = failure(AirtableAccessException.class);

    assertThat(e.status()).isEqualTo(403);
    assertThat(e.table()).isEqualTo("Teachers");
    assertThat(e.getMessage())
        .contains("denied access to table 'Teachers' of base " + BASE)
        .contains(
            "HTTP 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: Invalid permissions, or the"
                + " requested model was not found.")
        .contains("the base id " + BASE + " or the table 'Teachers' may be wrong")
        .contains("the token may lack access to the base or the data.records:read scope");
    assertThat(e.errorType()).isEqualTo("INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND");
    assertThat(e.errorMessage()).startsWith("Invalid permissions");
  }

  @Test
  void a_403_on_the_schema_says_the_base_id_may_be_wrong_or_the_scope_missing() {
    server.enqueue(
        error(
            403,
            "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND",
            "Invalid permissions, or the requested model was not found. Check that both your user"
                + " and your token have the required permissions, and that the model names and/or"
                + " ids are correct"));

    AirtableAccessException e =
        catchThrowableOfType(
            AirtableAccessException.class, () -> client.fetchSchema(BASE, FetchControl.create()));

    assertThat(e.status()).isEqualTo(403);
    assertThat(e.getMessage())
        .startsWith("Airtable denied access to the schema of base " + BASE + " (HTTP 403 ")
        .contains("INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: Invalid permissions, or the requested")
        .contains("and that the model names and/or ids are correct)")
        .endsWith(
            "the base id "
                + BASE
                + " may be wrong, or the token may lack access to the base or the"
                + " schema.bases:read scope")
        .doesNotContain("data.records:read");
  }

  @Test
  void a_404_with_the_string_envelope_names_base_and_table() {
    server.enqueue(Fixtures.status(404, "{\"error\":\"NOT_FOUND\"}"));

    AirtableAccessException e = failure(AirtableAccessException.class);

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage())
        .contains("did not find table 'Teachers' of base " + BASE)
        .contains("(HTTP 404 NOT_FOUND)")
        .contains("the base id " + BASE + " or the table 'Teachers' may be wrong");
    assertThat(e.errorType()).isEqualTo("NOT_FOUND");
    assertThat(e.errorMessage()).isNull();
  }

  @Test
  void a_422_carries_airtables_type_and_message() {
    server.enqueue(
        error(
            422,
            "INVALID_FILTER_BY_FORMULA",
            "The formula for filtering records is invalid: Unknown field names: statsu"));

    AirtableRequestException e = failure(AirtableRequestException.class);

    assertThat(e.status()).isEqualTo(422);
    assertThat(e.errorType()).isEqualTo("INVALID_FILTER_BY_FORMULA");
    assertThat(e.errorMessage()).contains("Unknown field names: statsu");
    assertThat(e.page()).isEqualTo(1);
    assertThat(e.getMessage())
        .contains("HTTP 422 INVALID_FILTER_BY_FORMULA: The formula for filtering records")
        .contains("table 'Teachers' of base " + BASE + ", page 1");
  }

  @Test
  void a_non_json_error_body_is_quoted_briefly_and_printably() {
    server.enqueue(
        new MockResponse.Builder()
            .code(400)
            .setHeader("Content-Type", "text/html")
            .body("<html>\n<body>Bad request\u0007</body>\n</html>" + "x".repeat(1_000))
            .build());

    AirtableRequestException e = failure(AirtableRequestException.class);

    assertThat(e.status()).isEqualTo(400);
    assertThat(e.errorType()).isNull();
    assertThat(e.getMessage()).contains("HTTP 400: <html> <body>Bad request </body> </html>xxx");
    assertThat(e.getMessage()).doesNotContain("\n").hasSizeLessThan(600);
  }

  @Test
  void a_token_echoed_by_the_server_is_masked_in_the_message() {
    server.enqueue(error(401, "AUTHENTICATION_REQUIRED", "Unknown token Bearer " + TOKEN));

    AirtableAuthException e = failure(AirtableAuthException.class);

    assertThat(e.getMessage()).contains("Unknown token Bearer ****");
  }

  @Test
  void a_missing_base_in_the_meta_api_is_an_access_error_naming_the_base() {
    server.enqueue(Fixtures.status(404, "{\"error\":\"NOT_FOUND\"}"));

    AirtableAccessException e =
        catchThrowableOfType(
            AirtableAccessException.class, () -> client.fetchSchema(BASE, FetchControl.create()));

    assertThat(e.table()).isNull();
    assertThat(e.page()).isZero();
    assertThat(e.getMessage()).contains("base " + BASE).doesNotContain("table '");
  }

  @Test
  void an_unexpected_status_is_a_server_error_naming_the_status() {
    server.enqueue(Fixtures.status(501, "Not Implemented"));

    AirtableServerException e = failure(AirtableServerException.class);

    assertThat(e.status()).isEqualTo(501);
    assertThat(e.getMessage()).contains("HTTP 501").contains("after 1 attempt");
  }

  @Test
  void a_500_after_its_retries_carries_airtables_type_and_message() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(error(500, "SERVER_ERROR", "Something went wrong"));
    }

    AirtableServerException e =
        catchThrowableOfType(
            AirtableServerException.class,
            () ->
                client.listRecords(
                    BASE, "Teachers", ListOptions.all(), FetchControl.create(), p -> {}));

    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(e.status()).isEqualTo(500);
    assertThat(e.errorType()).isEqualTo("SERVER_ERROR");
    assertThat(e.errorMessage()).isEqualTo("Something went wrong");
    assertThat(e.getMessage())
        .contains("(HTTP 500 SERVER_ERROR: Something went wrong) after 4 attempts")
        .contains("AIRTABLE_MAX_RETRIES=3")
        .doesNotContain(TOKEN);
  }

  @Test
  void a_429_that_outlasts_the_retries_quotes_airtables_last_answer() {
    for (int i = 0; i < 4; i++) {
      server.enqueue(
          new MockResponse.Builder()
              .code(429)
              .setHeader("Content-Type", "application/json")
              .setHeader("Retry-After", "0")
              .body(
                  "{\"errors\":[{\"error\":\"RATE_LIMIT_REACHED\",\"message\":\"Rate limit"
                      + " exceeded. Please try again later\"}]}")
              .build());
    }

    AirtableRateLimitException e =
        catchThrowableOfType(
            AirtableRateLimitException.class,
            () ->
                client.listRecords(
                    BASE, "Teachers", ListOptions.all(), FetchControl.create(), p -> {}));

    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(e.getMessage())
        .contains("kept answering 429 (rate limited) for table 'Teachers' of base " + BASE)
        .contains("last answer HTTP 429 RATE_LIMIT_REACHED: Rate limit exceeded.")
        .contains("AIRTABLE_RATE_LIMIT_PER_SECOND");
  }

  @Test
  void airtables_type_and_message_are_quoted_printable_and_bounded() {
    // A type and message that would move the cursor, reverse the text on a terminal, or flood it.
    server.enqueue(
        error(
            422,
            "INVALID\u001b[2J_\u202eTYPE" + "X".repeat(500),
            // The token, echoed where the cut falls: masked before the text is cut.
            "line one\nline two\u202e\u200b "
                + "y".repeat(250)
                + " Bearer "
                + TOKEN
                + " "
                + "z".repeat(1_000)));

    AirtableRequestException e = failure(AirtableRequestException.class);

    assertThat(e.errorType()).startsWith("INVALID [2J_ TYPEXXX").endsWith("…").hasSize(81);
    assertThat(e.errorMessage())
        .startsWith("line one line two ")
        .contains("y Bearer **** zzz")
        .endsWith("…")
        .hasSize(301);
    assertThat(e.getMessage())
        .doesNotContain("\u001b", "\u202e", "\u200b", "\n")
        .doesNotContain(TOKEN.substring(0, 12))
        .hasSizeLessThan(700);
  }
}
