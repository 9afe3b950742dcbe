package dev.integrity.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.IssueWriter;
import jakarta.mail.BodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Owners and their digests end to end, from a config file: the owner's Slack and webhook are real
 * local HTTP servers whose bodies are read back, its e-mail a real SMTP server (GreenMail); the
 * base's own webhook another server. Each test closes the service before reading the HTTP servers:
 * close waits for every delivery handed over, so what they got is final.
 */
class OwnerDigestTest {
  private static final String BASE = "appOwners0000001";
  private static final String DASHBOARD = AlertFixture.DASHBOARD;
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final GreenMailExtension mail = new GreenMailExtension(ServerSetup.SMTP.dynamicPort());

  @TempDir Path dir;
  private final MockWebServer staffSlack = new MockWebServer();
  private final MockWebServer staffHook = new MockWebServer();
  private final MockWebServer baseHook = new MockWebServer();
  private final OkHttpClient http = new OkHttpClient();
  private AlertFixture fx;
  private AlertService alerts;

  @BeforeEach
  void start() throws Exception {
    for (MockWebServer server : List.of(staffSlack, staffHook, baseHook)) {
      server.setDispatcher(
          new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
              return new MockResponse.Builder().code(200).body("ok").build();
            }
          });
      server.start();
    }
    fx = new AlertFixture(dir);
  }

  @AfterEach
  void stop() {
    if (alerts != null) {
      alerts.close();
    }
    staffSlack.close();
    staffHook.close();
    baseHook.close();
    fx.close();
    http.connectionPool().evictAll();
  }

  /** teachers owned by the staff office (Slack, e-mail, webhook); classes and rooms by the base. */
  private IntegrityConfig config(boolean baseOnNewFailIssues) throws Exception {
    Path file = dir.resolve("integrity.yml");
    Files.writeString(
        file,
        """
        airtable:
          baseId: %s
          token: literal-token
        entities:
          teachers:
            table: Teachers
            owner:
              name: Staff office
              slack: {webhookUrl: ${STAFF_SLACK_URL}}
              email: [office@school.org]
              webhook: {url: ${STAFF_HOOK_URL}}
          classes: {table: Classes}
        alerts:
          webhook: {url: ${BASE_HOOK_URL}}
          email: {host: 127.0.0.1, port: %d, from: integrity@school.org, to: [ops@school.org]}
          onNewFailIssues: %s
        """
            .formatted(BASE, mail.getSmtp().getPort(), baseOnNewFailIssues));
    return ConfigLoader.load(
        file,
        Map.of(
            "STAFF_SLACK_URL", staffSlack.url("/services/T1/B1/staff").toString(),
            "STAFF_HOOK_URL", staffHook.url("/staff").toString(),
            "BASE_HOOK_URL", baseHook.url("/base").toString()));
  }

  private AlertService service(IntegrityConfig config) {
    return fx.service(
        AlertFixture.settings(),
        AlertChannels.routesOf(List.of(config), http, ChannelTimeouts.defaults(), fx.clock));
  }

  /** A succeeded run of both entities with these issues, ended through the run listener. */
  private RunRecord run(IssueRow... rows) {
    RunRecord run =
        fx.store.runs().create(BASE, Trigger.SCHEDULE, "nightly", List.of("teachers", "classes"));
    fx.store.runs().claim(run.id(), "owner-1");
    fx.store
        .runs()
        .saveEntities(
            run.id(),
            List.of(
                EntityProgress.pending(run.id(), "teachers", "Teachers"),
                EntityProgress.pending(run.id(), "classes", "Classes")));
    try (IssueWriter writer = fx.store.issues().writer(run.id())) {
      for (IssueRow row : rows) {
        writer.add(
            new IssueRow(
                run.id(),
                row.entity(),
                row.recordId(),
                row.checkId(),
                row.field(),
                row.severity(),
                row.message(),
                row.url(),
                null));
      }
    }
    List<String> checks = List.of("required-email", "unique-email", "required-name", "warn-check");
    fx.store
        .issues()
        .computeStates(
            run.id(),
            BASE,
            List.of(
                EntityCoverage.complete("teachers", checks),
                EntityCoverage.complete("classes", checks)));
    // Checked entities make this run the one the next run compares with.
    for (EntityProgress e : fx.store.runs().entities(run.id())) {
      fx.store.runs().updateEntity(e.checkedWith(rows.length));
    }
    fx.clock.advance(java.time.Duration.ofMinutes(3));
    fx.store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    RunRecord ended = fx.store.runs().find(run.id()).orElseThrow();
    alerts.runListener().onRunEnded(ended);
    return ended;
  }

  private static IssueRow issue(String entity, String record, String check, String message) {
    return new IssueRow(
        null,
        entity,
        record,
        check,
        "Email",
        check.startsWith("warn") ? "warn" : "fail",
        message,
        "https://airtable.com/" + BASE + "/tbl" + entity + "/" + record,
        null);
  }

  private static List<JsonNode> bodies(MockWebServer server) throws Exception {
    List<JsonNode> bodies = new ArrayList<>();
    int n = server.getRequestCount();
    for (int i = 0; i < n; i++) {
      RecordedRequest request = server.takeRequest(1, TimeUnit.SECONDS);
      bodies.add(JSON.readTree(request.getBody().utf8()));
    }
    return bodies;
  }

  private static List<String> sectionTexts(JsonNode slackBody) {
    List<String> texts = new ArrayList<>();
    for (JsonNode block : slackBody.get("blocks")) {
      assertThat(block.get("type").asText()).isEqualTo("section");
      assertThat(block.at("/text/type").asText()).isEqualTo("mrkdwn");
      texts.add(block.at("/text/text").asText());
    }
    return texts;
  }

  /** Seven new fail issues of teachers (one with hostile text), a warn, and one fail of classes. */
  private RunRecord busyNight() {
    return run(
        issue("teachers", "rec1", "required-email", "Email is empty <!channel> & <https://evil|x>"),
        issue("teachers", "rec2", "required-email", "Email is empty"),
        issue("teachers", "rec3", "unique-email", "Email a@b.org also on rec4"),
        issue("teachers", "rec4", "unique-email", "Email a@b.org also on rec3"),
        issue("teachers", "rec5", "required-email", "Email is empty"),
        issue("teachers", "rec6", "required-email", "Email is empty"),
        issue("teachers", "rec7", "required-email", "Email is empty"),
        issue("teachers", "rec8", "warn-check", "looks odd"),
        issue("classes", "recC1", "required-name", "Name is empty"));
  }

  @Test
  void the_owner_s_slack_gets_a_block_kit_digest_with_counts_five_issues_links_and_escaping()
      throws Exception {
    alerts = service(config(true));
    RunRecord run = busyNight();
    alerts.close();

    List<JsonNode> posts = bodies(staffSlack);
    assertThat(posts).hasSize(1);
    JsonNode body = posts.getFirst();
    assertThat(body.get("text").asText())
        .startsWith("*New failing issues for Staff office (base " + BASE + ")*")
        .contains("found 7 new issue(s) of severity fail for Staff office")
        .contains("&lt;!channel&gt; &amp; &lt;https://evil|x&gt;")
        .doesNotContain("<!channel>");
    List<String> sections = sectionTexts(body);
    assertThat(sections.get(0))
        .contains("7 new fail issue(s) in run `" + run.id() + "`")
        .contains("for *Staff office*");
    assertThat(sections.get(1))
        .isEqualTo("*Per check*\n• teachers / `required-email`: 5\n• teachers / `unique-email`: 2");
    // The first five in the order the run wrote them, each with its Airtable link.
    assertThat(sections.subList(2, 7))
        .allSatisfy(s -> assertThat(s).contains("|Open in Airtable>"))
        .extracting(s -> s.substring(0, s.indexOf('`', 14) + 1))
        .containsExactly(
            "1. teachers `rec1`",
            "2. teachers `rec2`",
            "3. teachers `rec3`",
            "4. teachers `rec4`",
            "5. teachers `rec5`");
    assertThat(sections.get(2))
        .isEqualTo(
            "1. teachers `rec1` required-email (Email): Email is empty &lt;!channel&gt; &amp;"
                + " &lt;https://evil|x&gt;\n<https://airtable.com/"
                + BASE
                + "/tblteachers/rec1|Open in Airtable>");
    assertThat(sections.get(7)).isEqualTo("_and 2 more_");
    assertThat(sections.get(8))
        .isEqualTo(
            "<"
                + DASHBOARD
                + "/runs/"
                + run.id()
                + "?owner=Staff%20office&amp;severity=fail&amp;state=new&amp;ack=no|View the 7 new"
                + " fail issue(s) of Staff office's entities>");
    assertThat(sections).hasSize(9).noneMatch(s -> s.contains("classes") || s.contains("rec8"));
  }

  @Test
  void the_owner_s_webhook_gets_the_structured_digest_and_the_base_gets_the_rest()
      throws Exception {
    alerts = service(config(true));
    RunRecord run = busyNight();
    alerts.close();

    JsonNode staff = bodies(staffHook).getFirst();
    assertThat(staff.get("kind").asText()).isEqualTo("new_fail_issues");
    assertThat(staff.get("owner").asText()).isEqualTo("Staff office");
    assertThat(staff.get("repeat").asBoolean()).isFalse();
    JsonNode digest = staff.get("digest");
    assertThat(digest.get("runId").asText()).isEqualTo(run.id());
    assertThat(digest.get("total").asLong()).isEqualTo(7);
    assertThat(digest.get("perCheck").toString())
        .isEqualTo(
            "[{\"entity\":\"teachers\",\"check\":\"required-email\",\"count\":5},"
                + "{\"entity\":\"teachers\",\"check\":\"unique-email\",\"count\":2}]");
    assertThat(digest.get("first")).hasSize(5);
    JsonNode first = digest.get("first").get(0);
    assertThat(first.get("recordId").asText()).isEqualTo("rec1");
    assertThat(first.get("message").asText())
        .isEqualTo("Email is empty <!channel> & <https://evil|x>");
    assertThat(first.get("url").asText())
        .isEqualTo("https://airtable.com/" + BASE + "/tblteachers/rec1");
    // One link, to the run page filtered to the owner's entities.
    assertThat(digest.get("runPages").toString())
        .isEqualTo(
            "[{\"owner\":\"Staff office\",\"count\":7,\"url\":\""
                + DASHBOARD
                + "/runs/"
                + run.id()
                + "?owner=Staff%20office&severity=fail&state=new&ack=no\"}]");

    // classes has no owner: its one new fail issue is the base's digest, on the base's channel.
    List<JsonNode> base = bodies(baseHook);
    assertThat(base).hasSize(1);
    assertThat(base.getFirst().has("owner")).isFalse();
    assertThat(base.getFirst().at("/digest/total").asLong()).isEqualTo(1);
    assertThat(base.getFirst().at("/digest/first/0/recordId").asText()).isEqualTo("recC1");
    // The base's entities have no owner to filter by: one link per entity.
    assertThat(base.getFirst().at("/digest/runPages").toString())
        .isEqualTo(
            "[{\"entity\":\"classes\",\"count\":1,\"url\":\""
                + DASHBOARD
                + "/runs/"
                + run.id()
                + "?entity=classes&severity=fail&state=new&ack=no\"}]");
  }

  @Test
  void the_owner_s_e_mail_has_a_plain_text_and_an_escaped_html_part() throws Exception {
    alerts = service(config(true));
    RunRecord run = busyNight();

    await()
        .atMost(10, SECONDS)
        .until(
            () ->
                List.of(mail.getReceivedMessages()).stream()
                    .anyMatch(m -> recipient(m).equals("office@school.org")));
    alerts.close();
    MimeMessage message =
        List.of(mail.getReceivedMessages()).stream()
            .filter(m -> recipient(m).equals("office@school.org"))
            .findFirst()
            .orElseThrow();
    assertThat(message.getSubject())
        .isEqualTo("[integrity] New failing issues for Staff office (base " + BASE + ")");
    assertThat(message.getContentType()).startsWith("multipart/alternative");
    MimeMultipart parts = (MimeMultipart) message.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    BodyPart text = parts.getBodyPart(0);
    BodyPart html = parts.getBodyPart(1);
    assertThat(text.getContentType()).startsWith("text/plain");
    assertThat((String) text.getContent())
        .contains("found 7 new issue(s) of severity fail for Staff office")
        .contains("- teachers / required-email: 5")
        .contains(
            "- teachers rec1 (required-email, Email): Email is empty <!channel> & <https://evil|x>")
        .contains("https://airtable.com/" + BASE + "/tblteachers/rec1")
        .contains("- and 2 more")
        .contains(
            "New fail issues of Staff office's entities: "
                + DASHBOARD
                + "/runs/"
                + run.id()
                + "?owner=Staff%20office&severity=fail&state=new&ack=no");
    assertThat(html.getContentType()).startsWith("text/html");
    assertThat((String) html.getContent())
        .contains("<td>teachers</td><td>required-email</td><td>5</td>")
        .contains("Email is empty &lt;!channel&gt; &amp; &lt;https://evil|x&gt;")
        .doesNotContain("<!channel>")
        .contains(
            "<a href=\"https://airtable.com/" + BASE + "/tblteachers/rec1\">Open in Airtable</a>")
        .contains(
            "<a href=\""
                + DASHBOARD
                + "/runs/"
                + run.id()
                + "?owner=Staff%20office&amp;severity=fail&amp;state=new&amp;ack=no\">");
    // The base's mailbox heard only of classes.
    List<MimeMessage> ops =
        List.of(mail.getReceivedMessages()).stream()
            .filter(m -> recipient(m).equals("ops@school.org"))
            .toList();
    assertThat(ops)
        .singleElement()
        .satisfies(m -> assertThat(m.getSubject()).doesNotContain("Staff"));
  }

  private static String recipient(MimeMessage m) {
    try {
      return m.getAllRecipients()[0].toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void an_owner_with_no_new_fail_issues_gets_no_digest_and_a_clean_run_resolves_its_condition()
      throws Exception {
    alerts = service(config(false));
    run(issue("teachers", "rec1", "required-email", "Email is empty"));
    // rec1 persists, a warn is new, classes has a new fail (the base's switch is off): nothing new
    // fails for the staff office, so its condition resolves.
    run(
        issue("teachers", "rec1", "required-email", "Email is empty"),
        issue("teachers", "rec9", "warn-check", "odd"),
        issue("classes", "recC1", "required-name", "Name is empty"));
    alerts.close();

    // Two deliveries on a pool of two threads: they may arrive in either order.
    List<JsonNode> staff = bodies(staffHook);
    assertThat(staff)
        .extracting(b -> b.get("state").asText())
        .containsExactlyInAnyOrder("open", "resolved");
    JsonNode resolved =
        staff.stream().filter(b -> b.get("state").asText().equals("resolved")).findFirst().get();
    assertThat(resolved.get("owner").asText()).isEqualTo("Staff office");
    assertThat(resolved.get("title").asText()).startsWith("Resolved: New failing issues");
    assertThat(resolved.get("text").asText()).contains("found no new fail issues for Staff office");
    assertThat(bodies(staffSlack)).hasSize(2);
    assertThat(bodies(baseHook)).isEmpty();
  }

  @Test
  void an_owner_of_two_entities_gets_one_link_to_the_run_page_filtered_by_owner() throws Exception {
    Path file = dir.resolve("both.yml");
    Files.writeString(
        file,
        """
        airtable:
          baseId: %s
          token: literal-token
        entities:
          teachers:
            table: Teachers
            owner: {name: Staff office, webhook: {url: ${STAFF_HOOK_URL}}}
          classes:
            table: Classes
            owner: {name: Staff office, webhook: {url: ${STAFF_HOOK_URL}}}
        """
            .formatted(BASE));
    alerts =
        service(
            ConfigLoader.load(file, Map.of("STAFF_HOOK_URL", staffHook.url("/staff").toString())));
    RunRecord run =
        run(
            issue("teachers", "rec1", "required-email", "Email is empty"),
            issue("classes", "recC1", "required-name", "Name is empty"),
            issue("classes", "recC2", "required-name", "Name is empty"));
    alerts.close();

    JsonNode post = bodies(staffHook).getFirst();
    JsonNode digest = post.get("digest");
    assertThat(digest.get("total").asLong()).isEqualTo(3);
    assertThat(digest.get("runPages").toString())
        .isEqualTo(
            "[{\"owner\":\"Staff office\",\"count\":3,\"url\":\""
                + DASHBOARD
                + "/runs/"
                + run.id()
                + "?owner=Staff%20office&severity=fail&state=new&ack=no\"}]");
    assertThat(post.get("text").asText().split("New fail issues of ", -1))
        .as("one run-page link in the text: %s", post.get("text").asText())
        .hasSize(2);
  }

  @Test
  void run_level_alerts_stay_with_the_base_even_when_every_entity_has_an_owner() throws Exception {
    alerts = service(config(false));
    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "HTTP 500 from Airtable"), null);
    alerts.close();

    assertThat(bodies(baseHook))
        .singleElement()
        .satisfies(b -> assertThat(b.get("kind").asText()).isEqualTo("run_error"));
    assertThat(bodies(staffHook)).isEmpty();
    assertThat(bodies(staffSlack)).isEmpty();
  }
}
