package dev.integrity.alert;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import dev.integrity.Secret;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** E-mail delivery against a real local SMTP server (GreenMail) on a free port. */
class EmailChannelTest {
  private static final String BASE = "appBase000000001";
  private static final String PASSWORD = "smtp-pa55-word";

  @RegisterExtension
  static final GreenMailExtension mail =
      new GreenMailExtension(ServerSetup.SMTP.dynamicPort())
          .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts", PASSWORD));

  @TempDir Path dir;
  private AlertFixture fx;
  private AlertService alerts;

  @BeforeEach
  void open() {
    fx = new AlertFixture(dir);
  }

  @AfterEach
  void close() {
    if (alerts != null) {
      alerts.close();
    }
    fx.close();
  }

  private AlertChannel email(String password) {
    return AlertChannels.email(
        "127.0.0.1",
        mail.getSmtp().getPort(),
        "alerts",
        new Secret(password),
        "integrity@example.org",
        List.of("ops@example.org", "lead@example.org"),
        ChannelTimeouts.defaults(),
        fx.clock);
  }

  @Test
  void an_alert_arrives_by_mail_with_subject_body_and_the_run_link() throws Exception {
    alerts = fx.service(AlertFixture.settings(), email(PASSWORD));
    RunRecord run = fx.ended(BASE, RunStatus.TIMEOUT, "Run exceeded maximum duration");

    alerts.onRunEnded(run, null);

    await().atMost(10, SECONDS).until(() -> mail.getReceivedMessages().length == 2);
    MimeMessage message = mail.getReceivedMessages()[0];
    assertThat(message.getSubject())
        .isEqualTo("[integrity] Run timed out (schedule nightly, base " + BASE + ")");
    assertThat(message.getFrom()[0].toString()).isEqualTo("integrity@example.org");
    assertThat(message.getSentDate().toInstant()).isEqualTo(fx.clock.instant());
    String body = GreenMailUtil.getBody(message);
    assertThat(body)
        .contains("Run " + run.id() + " of base " + BASE + " timed out")
        .contains("Since: " + run.finishedAt())
        .contains(AlertFixture.DASHBOARD + "/runs/" + run.id());
    for (MimeMessage received : mail.getReceivedMessages()) {
      assertThat(GreenMailUtil.getAddressList(received.getAllRecipients()))
          .contains("ops@example.org", "lead@example.org");
    }
    await().atMost(5, SECONDS).until(() -> fx.deliveries(fx.alerts().get(0)).size() == 1);
    assertThat(fx.deliveries(fx.alerts().get(0)).get(0).ok()).isTrue();
    assertThat(fx.metrics.sent("email")).isEqualTo(1);
  }

  @Test
  void a_rejected_login_is_recorded_without_the_password() {
    alerts =
        fx.service(
            AlertFixture.settings()
                .withDelivery(1, java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(50)),
            email("wrong-" + PASSWORD));

    alerts.onRunEnded(fx.ended(BASE, RunStatus.ERROR, "boom"), null);

    await().atMost(10, SECONDS).until(() -> fx.metrics.failed("email") == 1);
    assertThat(fx.deliveries(fx.alerts().get(0)))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.ok()).isFalse();
              assertThat(d.error())
                  .contains("AuthenticationFailedException")
                  .doesNotContain(PASSWORD);
            });
    assertThat(mail.getReceivedMessages()).isEmpty();
  }

  @Test
  void every_alert_mail_has_a_plain_text_part_and_an_html_part_that_escapes_the_error()
      throws Exception {
    alerts = fx.service(AlertFixture.settings(), email(PASSWORD));
    RunRecord run = fx.ended(BASE, RunStatus.ERROR, "field <b>Name</b> & \"Email\" broke");

    alerts.onRunEnded(run, null);

    await().atMost(10, SECONDS).until(() -> mail.getReceivedMessages().length == 2);
    MimeMessage message = mail.getReceivedMessages()[0];
    assertThat(message.getContentType()).startsWith("multipart/alternative");
    jakarta.mail.internet.MimeMultipart parts =
        (jakarta.mail.internet.MimeMultipart) message.getContent();
    assertThat(parts.getCount()).isEqualTo(2);
    assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
    assertThat((String) parts.getBodyPart(0).getContent())
        .contains("field <b>Name</b> & \"Email\" broke")
        .contains(AlertFixture.DASHBOARD + "/runs/" + run.id());
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
    assertThat((String) parts.getBodyPart(1).getContent())
        .contains("<h2>Run failed with an error (schedule nightly, base " + BASE + ")</h2>")
        .contains("field &lt;b&gt;Name&lt;/b&gt; &amp; &quot;Email&quot; broke")
        .doesNotContain("<b>Name</b>")
        .contains(
            "<a href=\"" + AlertFixture.DASHBOARD + "/runs/" + run.id() + "\">Open the run</a>");
  }
}
