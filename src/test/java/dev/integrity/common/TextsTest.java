package dev.integrity.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TextsTest {

  @Test
  void short_clean_text_is_returned_as_it_is() {
    String text = "plain";
    assertThat(Texts.shorten(text, 5)).isSameAs(text);
  }

  @Test
  void long_text_is_cut_at_the_limit_with_an_ellipsis() {
    assertThat(Texts.shorten("abcdefgh", 3)).isEqualTo("abc…");
  }

  @Test
  void control_characters_become_spaces_so_a_message_stays_on_one_line() {
    assertThat(Texts.shorten("a\nb\tc", 10)).isEqualTo("a b c");
  }

  @Test
  void a_surrogate_pair_is_never_split() {
    assertThat(Texts.shorten("ab\uD83D\uDE00cd", 3)).isEqualTo("ab…");
  }
}
