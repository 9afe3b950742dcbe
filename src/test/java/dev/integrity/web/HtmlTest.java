package dev.integrity.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HtmlTest {
  @Test
  void escape_turns_markup_characters_into_entities() {
    assertThat(Html.escape("<script>alert(1)</script>"))
        .isEqualTo("&lt;script&gt;alert(1)&lt;/script&gt;");
    assertThat(Html.escape("\"onmouseover=alert(1) x='y' `z` & co"))
        .isEqualTo("&quot;onmouseover=alert(1) x=&#39;y&#39; &#96;z&#96; &amp; co");
    assertThat(Html.escape(null)).isEmpty();
    assertThat(Html.escape("Zürich 東京")).isEqualTo("Zürich 東京");
  }

  @Test
  void fill_escapes_every_argument_but_raw_markup() {
    Html.Raw cell = Html.fill("<td title=\"{}\">{}</td>", "\"onmouseover=alert(1)", "<b>x</b>");
    assertThat(cell.html())
        .isEqualTo("<td title=\"&quot;onmouseover=alert(1)\">&lt;b&gt;x&lt;/b&gt;</td>");
    Html.Raw row = Html.fill("<tr>{}{}</tr>", cell, 42);
    assertThat(row.html()).startsWith("<tr><td title=").endsWith("</td>42</tr>");
  }

  @Test
  void fill_refuses_a_template_that_does_not_match_its_arguments() {
    assertThatThrownBy(() -> Html.fill("<p>{}</p>")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Html.fill("<p></p>", "x"))
        .isInstanceOf(IllegalArgumentException.class);
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
