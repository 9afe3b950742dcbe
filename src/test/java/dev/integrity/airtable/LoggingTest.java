package dev.integrity.airtable;

import static dev.integrity.airtable.Fixtures.BASE;
import static dev.integrity.airtable.Fixtures.TOKEN;
import static dev.integrity.airtable.Fixtures.error;
import static dev.integrity.airtable.Fixtures.ok;
import static dev.integrity.airtable.Fixtures.page;
import static dev.integrity.airtable.Fixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import dev.integrity.Ticker;
import java.util.ArrayList;
import java.util.List;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the client logs: start, pages, retries, end; and never the token. */
class LoggingTest {
  private final MockWebServer server = new MockWebServer();
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(AirtableClient.class);
  private Level previousLevel;

  @BeforeEach
  void start() throws Exception {
    server.start();
    previousLevel = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(appender);
    logger.setLevel(previousLevel);
    server.close();
  }

  /** Every message, argument and exception text in the captured events. */
  private List<String> texts() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent event : appender.list) {
      out.add(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        out.add(t.getMessage());
      }
    }
    return out;
  }

  @Test
  void a_fetch_logs_its_start_each_page_its_retries_and_its_end_without_the_token() {
    server.enqueue(error(503, "SERVICE_UNAVAILABLE", "echo Bearer " + TOKEN));
    server.enqueue(ok(page("itr1/recA", "recA")));
    server.enqueue(ok(page(null, "recB")));
    try (AirtableClient client =
        new AirtableClient(settings(server).maxRetries(1).build(), Ticker.system(), null)) {
      client.listRecords(BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {});
    }

    assertThat(texts()).noneMatch(text -> text != null && text.contains(TOKEN));
    assertThat(appender.list)
        .filteredOn(e -> e.getLevel() == Level.INFO)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anyMatch(m -> m.startsWith("Fetching table 'Classes' of base " + BASE))
        .anyMatch(
            m ->
                m.startsWith("Fetched table 'Classes' of base " + BASE + ": 2 records in 2 pages"));
    assertThat(appender.list)
        .filteredOn(e -> e.getLevel() == Level.DEBUG)
        .extracting(ILoggingEvent::getFormattedMessage)
        .filteredOn(m -> m.startsWith("Fetched page"))
        .hasSize(2);
    assertThat(appender.list)
        .filteredOn(e -> e.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("attempt 1")
                    .contains("HTTP 503 SERVICE_UNAVAILABLE")
                    .contains("Bearer ****")
                    .contains("retrying in"));
  }

  @Test
  void a_failed_fetch_logs_why_without_the_token() {
    server.enqueue(error(401, "AUTHENTICATION_REQUIRED", "bad token " + TOKEN));
    try (AirtableClient client =
        new AirtableClient(settings(server).build(), Ticker.system(), null)) {
      assertThatThrownBy(
              () ->
                  client.listRecords(
                      BASE, "Classes", ListOptions.all(), FetchControl.create(), e -> {}))
          .isInstanceOf(AirtableAuthException.class);
    }

    assertThat(texts()).noneMatch(text -> text != null && text.contains(TOKEN));
    assertThat(texts()).anyMatch(text -> text.contains("AUTHENTICATION_REQUIRED"));
  }
}
