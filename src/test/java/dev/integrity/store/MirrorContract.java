package dev.integrity.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.integrity.model.RunRecord;
import dev.integrity.model.Trigger;
import dev.integrity.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The mirror and webhook state of incremental runs, on every dialect; subclasses say where the
 * database is. Each test uses its own base id.
 */
abstract class MirrorContract {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  final MutableClock clock = new MutableClock(T0);
  Store store;
  MirrorRepository mirrors;
  String base;

  abstract StoreSettings settings();

  @BeforeEach
  void open() {
    store = Store.open(settings(), StoreContract.TIMEOUTS, clock);
    mirrors = store.mirrors();
    base = "app" + UUID.randomUUID().toString().replace("-", "").substring(0, 14);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  static MirrorRecord record(String id, Object... keyValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      fields.put((String) keyValues[i], keyValues[i + 1]);
    }
    return new MirrorRecord(id, fields);
  }

  void fullRun() {
    mirrors.replace(
        base,
        "classes",
        "Classes",
        List.of("Name", "Capacity", "Teacher"),
        List.of(
            record(
                "rec00000000000001",
                "Name",
                "Algebra",
                "Capacity",
                20,
                "Teacher",
                List.of("recT1")),
            record("rec00000000000002", "Name", "Biology", "Capacity", 31.5),
            record("rec00000000000003", "Name", "Chemistry")));
  }

  Map<String, Map<String, MirrorEdit>> batch() {
    Map<String, MirrorEdit> edits = new LinkedHashMap<>();
    edits.put("rec00000000000004", new MirrorEdit.Put(Map.of("Name", "Drama", "Capacity", 12)));
    Map<String, Object> patch = new LinkedHashMap<>();
    patch.put("Capacity", null);
    patch.put("Name", "Biology II");
    edits.put("rec00000000000002", new MirrorEdit.Patch(patch));
    edits.put("rec00000000000003", new MirrorEdit.Destroy());
    edits.put("rec00000000000001", new MirrorEdit.Put(Map.of("Name", "Algebra", "Capacity", 25)));
    return Map.of("classes", edits);
  }

  static final List<MirrorRecord> AFTER_BATCH =
      List.of(
          record("rec00000000000001", "Name", "Algebra", "Capacity", 25),
          record("rec00000000000002", "Name", "Biology II"),
          record("rec00000000000004", "Name", "Drama", "Capacity", 12));

  @Test
  void a_full_run_replaces_an_entitys_mirror_with_values_of_the_types_a_fetch_gives() {
    mirrors.replace(
        base, "classes", "Classes", List.of("Name"), List.of(record("rec0", "Name", "x")));
    clock.advance(Duration.ofHours(1));
    fullRun();
    MirrorEntity entity = mirrors.entity(base, "classes").orElseThrow();
    assertThat(entity.table()).isEqualTo("Classes");
    assertThat(entity.fields()).containsExactly("Name", "Capacity", "Teacher");
    assertThat(entity.refreshedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    List<MirrorRecord> records = mirrors.records(base, "classes");
    assertThat(records)
        .extracting(MirrorRecord::recordId)
        .containsExactly("rec00000000000001", "rec00000000000002", "rec00000000000003");
    assertThat(records.get(0).fields())
        .containsEntry("Capacity", 20)
        .containsEntry("Teacher", List.of("recT1"));
    assertThat(records.get(1).fields().get("Capacity")).isEqualTo(31.5);
    assertThat(mirrors.entity(base, "teachers")).isEmpty();
  }

  @Test
  void applying_the_same_batch_twice_gives_the_same_mirror_as_once() {
    fullRun();
    mirrors.apply(base, batch());
    assertThat(mirrors.records(base, "classes")).isEqualTo(AFTER_BATCH);
    mirrors.apply(base, batch());
    assertThat(mirrors.records(base, "classes")).isEqualTo(AFTER_BATCH);
  }

  @Test
  void a_batch_for_an_entity_without_a_mirror_is_refused_and_changes_nothing() {
    fullRun();
    Map<String, Map<String, MirrorEdit>> edits = new LinkedHashMap<>(batch());
    edits.put("teachers", Map.of("recT1", new MirrorEdit.Destroy()));
    assertThatThrownBy(() -> mirrors.apply(base, edits))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("teachers")
        .hasMessageContaining("full run");
    assertThat(mirrors.records(base, "classes")).hasSize(3);
  }

  @Test
  void a_batch_and_other_writes_in_one_transaction_commit_together_or_not_at_all() {
    fullRun();
    RuntimeException crash = new IllegalStateException("crash before commit");
    assertThatThrownBy(
            () ->
                store.inTransaction(
                    "an incremental run",
                    () -> {
                      mirrors.apply(base, batch());
                      store.runs().create(base, Trigger.MANUAL, null, List.of("classes"));
                      throw crash;
                    }))
        .isSameAs(crash);
    assertThat(mirrors.records(base, "classes")).hasSize(3);
    assertThat(store.runs().activeRun(base)).isEmpty();

    RunRecord run =
        store.inTransaction(
            "an incremental run",
            () -> {
              mirrors.apply(base, batch());
              return store.runs().create(base, Trigger.MANUAL, null, List.of("classes"));
            });
    assertThat(mirrors.records(base, "classes")).isEqualTo(AFTER_BATCH);
    assertThat(store.runs().find(run.id())).isPresent();
  }

  @Test
  void the_webhook_state_is_saved_and_its_cursor_moves_only_for_the_same_webhook() {
    assertThat(mirrors.webhook(base)).isEmpty();
    Instant expiry = T0.plus(Duration.ofDays(7));
    mirrors.saveWebhook(base, "achAAAAAAAAAAAAAA", expiry, 1);
    clock.advance(Duration.ofMinutes(5));
    assertThat(mirrors.saveCursor(base, "achAAAAAAAAAAAAAA", 42)).isTrue();
    assertThat(mirrors.saveCursor(base, "achBBBBBBBBBBBBBB", 99)).isFalse();
    assertThat(mirrors.webhook(base))
        .contains(
            new WebhookState(
                base, "achAAAAAAAAAAAAAA", expiry, 42, T0.plus(Duration.ofMinutes(5))));
    mirrors.saveWebhook(base, "achBBBBBBBBBBBBBB", null, 1);
    assertThat(mirrors.webhook(base).map(WebhookState::webhookId))
        .isEqualTo(Optional.of("achBBBBBBBBBBBBBB"));
    assertThat(mirrors.deleteWebhook(base)).isTrue();
    assertThat(mirrors.deleteWebhook(base)).isFalse();
  }

  @Test
  void dropping_a_bases_mirror_forgets_every_entity() {
    fullRun();
    mirrors.drop(base);
    assertThat(mirrors.entity(base, "classes")).isEmpty();
    assertThat(mirrors.records(base, "classes")).isEmpty();
  }
}
