package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class HtmlTest {
  private final FakeBackend backend = new FakeBackend(Instant.parse("2026-12-01T00:00:00Z"));
  private final Dashboard dashboard =
      new Dashboard(
          backend,
          new ObjectMapper(),
          Clock.fixed(Instant.parse("2026-12-01T00:00:00Z"), ZoneOffset.UTC),
          Duration.ofSeconds(5),
          false);

  @Test
  void the_templates_escape_markup_characters_in_element_content() {
    String page = dashboard.errorPage(400, "<script>alert(1)</script> & co");

    assertThat(page)
        .contains("<p class=\"error\">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</p>")
        .doesNotContain("<script>alert(1)");
  }

  @Test
  void the_templates_escape_quotes_in_attribute_values() {
    backend.put(
        FakeBackend.report("run\"onmouseover=alert(1) x='y'", "succeeded", Instant.EPOCH, 10L));

    String section = dashboard.runsSection(null);

    assertThat(section)
        .contains("data-run-id=\"run&#34;onmouseover=alert(1) x=&#39;y&#39;\"")
        .doesNotContain("data-run-id=\"run\"");
  }

  @Test
  void only_absolute_http_urls_become_links() {
    assertThat(Html.safeHttpUrl("https://airtable.com/appX/tblY/recZ"))
        .isEqualTo("https://airtable.com/appX/tblY/recZ");
    assertThat(Html.safeHttpUrl("javascript:alert(1)")).isNull();
    assertThat(Html.safeHttpUrl(" JavaScript:alert(1)")).isNull();
    assertThat(Html.safeHttpUrl("data:text/html,<script>alert(1)</script>")).isNull();
    assertThat(Html.safeHttpUrl("//evil.example/x")).isNull();
    assertThat(Html.safeHttpUrl("https://a.example/\"onmouseover=")).isNull();
    assertThat(Html.safeHttpUrl(null)).isNull();
  }
}
