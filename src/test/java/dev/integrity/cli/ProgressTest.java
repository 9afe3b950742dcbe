package dev.integrity.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.model.EntityProgress;
import dev.integrity.model.EntityStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  private static EntityProgress progress(
      String name, EntityStatus status, long records, int pages) {
    return new EntityProgress("run_1", name, name, status, records, pages, 1_000L, null);
  }

  @Test
  void on_a_terminal_each_entity_gets_a_bar_redrawn_in_place() {
    Progress p = new Progress(err, true);
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.FETCHING, 100, 1));
    p.onEntityProgress("run_1", progress("students", EntityStatus.FETCHING, 0, 0));
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.FETCHED, 300, 3));
    p.end();

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).contains("\033[2A"); // moved back up over the two bars to redraw them
    String last = out.substring(out.lastIndexOf("\033[2A"));
    assertThat(last).contains("teachers", "[########################]", "fetched", "300 records");
    assertThat(last).contains("students", "fetching");
  }

  @Test
  void elsewhere_it_prints_one_plain_line_per_status_change() {
    Progress p = new Progress(err, false);
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.PENDING, 0, 0));
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.FETCHING, 100, 1));
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.FETCHING, 200, 2));
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.FETCHED, 300, 3));
    p.onEntityProgress("run_1", progress("teachers", EntityStatus.FETCHED, 300, 3).checkedWith(7));

    String out = bytes.toString(StandardCharsets.UTF_8);
    assertThat(out).doesNotContain("\033[");
    assertThat(out.lines())
        .containsExactly(
            "teachers: fetching, 100 records, 1 pages, 1.0 s",
            "teachers: fetched, 300 records, 3 pages, 1.0 s",
            "teachers: checked, 7 issues");
  }
}
