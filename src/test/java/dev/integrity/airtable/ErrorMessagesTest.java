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
        .contains("INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND")
        .contains("Invalid permissions")
        .contains("check that base " + BASE + " and table 'Teachers' exist");
  }

  @Test
  void a_404_with_the_string_envelope_names_base_and_table() {
    server.enqueue(Fixtures.status(404, "{\"error\":\"NOT_FOUND\"}"));

    AirtableAccessException e = failure(AirtableAccessException.class);

    assertThat(e.status()).isEqualTo(404);
    assertThat(e.getMessage())
        .contains("HTTP 404 NOT_FOUND")
        .contains("table 'Teachers' of base " + BASE);
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
}
