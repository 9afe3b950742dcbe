package dev.integrity.airtable;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.model.BaseSchema;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The webhook lifecycle of the client against the simulator, with its classified outcomes. */
class WebhooksClientTest {
  final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
  final List<AutoCloseable> closing = new ArrayList<>();
  final Map<ApiCall.Kind, AtomicInteger> calls = new ConcurrentHashMap<>();
  AirtableSimulator sim;
  AirtableWebhooks webhooks;
  String base;

  void start(Set<String> scopes) {
    sim =
        AirtableSimulator.builder()
            .dataset(Dataset.synthetic(Map.of("Alpha", 3, "Beta", 3)))
            .rateLimitPerSecond(0)
            .clock(clock)
            .scopes(scopes)
            .build()
            .start();
    base = sim.dataset().baseId();
    AirtableSettings settings =
        AirtableSettings.builder()
            .baseUrl(sim.baseUrl())
            .token(new Secret(sim.token()))
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(5))
            .writeTimeout(Duration.ofSeconds(5))
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(2)
            .rateLimitPerSecond(100)
            .backoffInitial(Duration.ofMillis(10))
            .backoffMax(Duration.ofMillis(50))
            .build();
    AirtableClient client =
        new AirtableClient(
            settings,
            Ticker.system(),
            new AirtableListener() {
              @Override
              public void onApiCall(ApiCall call) {
                calls.computeIfAbsent(call.kind(), k -> new AtomicInteger()).incrementAndGet();
              }
            });
    closing.add(client);
    closing.add(sim);
    webhooks = new AirtableWebhooks(client, clock);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  static <T> T ok(WebhookOutcome<T> outcome) {
    assertThat(outcome).isInstanceOf(WebhookOutcome.Ok.class);
    return ((WebhookOutcome.Ok<T>) outcome).value();
  }

  String rec(String table, int i) {
    return sim.dataset().table(table).orElseThrow().records().get(i).id();
  }

  @Test
  void create_list_read_and_delete_a_webhook_counting_calls_by_kind() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    assertThat(hook.expirationTime()).isEqualTo(Instant.parse("2025-03-08T00:00:00Z"));
    assertThat(ok(webhooks.list(base, control))).extracting(Webhook::id).containsExactly(hook.id());

    sim.apply(Edits.begin().update("Alpha", rec("Alpha", 0), Map.of("Number", 10)));
    sim.apply(Edits.begin().destroy("Beta", rec("Beta", 1)));
    AirtableWebhooks.Payloads read = ok(webhooks.payloads(base, hook.id(), 1, control));
    assertThat(read.payloads()).hasSize(2);
    assertThat(read.payloads().get(0).cursor()).isEqualTo(1);
    assertThat(read.nextCursor()).isEqualTo(3);
    assertThat(ok(webhooks.payloads(base, hook.id(), read.nextCursor(), control)).payloads())
        .isEmpty();

    assertThat(ok(webhooks.delete(base, hook.id(), control))).isTrue();
    assertThat(webhooks.delete(base, hook.id(), control)).isInstanceOf(WebhookOutcome.Gone.class);
    assertThat(webhooks.payloads(base, hook.id(), 1, control))
        .isInstanceOf(WebhookOutcome.Gone.class);

    assertThat(calls.get(ApiCall.Kind.PAYLOADS).get()).isEqualTo(3);
    assertThat(calls.get(ApiCall.Kind.WEBHOOK).get()).isEqualTo(4);
    assertThat(calls.get(ApiCall.Kind.LIST)).isNull();
  }

  @Test
  void payloads_split_across_pages_are_all_read_following_might_have_more() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    for (int i = 0; i < 120; i++) {
      sim.apply(Edits.begin().update("Alpha", rec("Alpha", i % 3), Map.of("Number", 1000 + i)));
    }
    AirtableWebhooks.Payloads read = ok(webhooks.payloads(base, hook.id(), 1, control));
    assertThat(read.pages()).isEqualTo(3);
    assertThat(read.payloads()).hasSize(120);
    assertThat(read.nextCursor()).isEqualTo(121);
    assertThat(read.payloads()).extracting(WebhookPayload::cursor).doesNotHaveDuplicates();
  }

  @Test
  void webhook_calls_are_retried_and_cancelled_like_list_requests() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    sim.apply(Edits.begin().update("Alpha", rec("Alpha", 0), Map.of("Number", 10)));
    sim.faults().next(2, dev.integrity.sim.Fault.serverError(503));
    AirtableWebhooks.Payloads read = ok(webhooks.payloads(base, hook.id(), 1, control));
    assertThat(read.payloads()).hasSize(1);
    assertThat(calls.get(ApiCall.Kind.PAYLOADS).get()).isEqualTo(3);

    sim.faults().next(5, dev.integrity.sim.Fault.serverError(503));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> webhooks.payloads(base, hook.id(), 1, control))
        .isInstanceOf(AirtableServerException.class);
    sim.faults().clear();

    control.cancel("run cancelled");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> webhooks.payloads(base, hook.id(), 1, control))
        .isInstanceOf(FetchCancelledException.class)
        .hasMessageContaining("run cancelled");
  }

  @Test
  void changes_since_a_cursor_are_read_in_two_calls_and_say_when_the_webhook_expired_or_went() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    sim.apply(Edits.begin().update("Alpha", rec("Alpha", 0), Map.of("Number", 10)));
    int webhookCalls = calls.get(ApiCall.Kind.WEBHOOK).get();

    AirtableWebhooks.Changes changes = ok(webhooks.changesSince(base, hook.id(), 1, control));
    assertThat(changes.payloads()).hasSize(1);
    assertThat(changes.nextCursor()).isEqualTo(2);
    assertThat(calls.get(ApiCall.Kind.WEBHOOK).get()).isEqualTo(webhookCalls + 1);
    assertThat(calls.get(ApiCall.Kind.PAYLOADS).get()).isEqualTo(1);

    clock.advance(Duration.ofDays(8));
    WebhookOutcome<AirtableWebhooks.Changes> expired =
        webhooks.changesSince(base, hook.id(), 2, control);
    assertThat(expired).isInstanceOf(WebhookOutcome.Expired.class);
    assertThat(expired.reason()).contains("expired");
    assertThat(webhooks.changesSince(base, "achNOTAWEBHOOK000", 1, control))
        .isInstanceOf(WebhookOutcome.Gone.class);
  }

  @Test
  void an_expired_webhook_is_an_expired_outcome_and_is_gone_a_week_later() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    clock.advance(Duration.ofDays(8));
    Webhook listed = ok(webhooks.list(base, control)).get(0);
    assertThat(listed.expiredAt(clock.instant())).isTrue();
    assertThat(webhooks.refreshIfDue(base, hook.id(), listed.expirationTime(), control))
        .isInstanceOf(WebhookOutcome.Expired.class);
    // Without the stored expiry the refresh call itself says so.
    assertThat(webhooks.refreshIfDue(base, hook.id(), null, control))
        .isInstanceOf(WebhookOutcome.Expired.class);
    clock.advance(Duration.ofDays(7));
    assertThat(webhooks.payloads(base, hook.id(), 1, control))
        .isInstanceOf(WebhookOutcome.Gone.class);
  }

  @Test
  void a_webhook_is_refreshed_only_when_under_two_days_are_left() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    clock.advance(Duration.ofDays(4));
    int before = calls.get(ApiCall.Kind.WEBHOOK).get();
    assertThat(ok(webhooks.refreshIfDue(base, hook.id(), hook.expirationTime(), control)))
        .isEqualTo(hook.expirationTime());
    assertThat(calls.get(ApiCall.Kind.WEBHOOK).get()).isEqualTo(before);
    clock.advance(Duration.ofDays(1).plusHours(1));
    assertThat(ok(webhooks.refreshIfDue(base, hook.id(), hook.expirationTime(), control)))
        .isEqualTo(
            clock
                .instant()
                .plus(Duration.ofDays(7))
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    assertThat(calls.get(ApiCall.Kind.WEBHOOK).get()).isEqualTo(before + 1);
  }

  @Test
  void a_cursor_older_than_the_retention_is_a_cursor_too_old_outcome() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    sim.apply(Edits.begin().update("Alpha", rec("Alpha", 0), Map.of("Number", 10)));
    clock.advance(Duration.ofDays(5));
    ok(webhooks.refreshIfDue(base, hook.id(), hook.expirationTime(), control));
    clock.advance(Duration.ofDays(3));
    sim.apply(Edits.begin().update("Alpha", rec("Alpha", 1), Map.of("Number", 11)));
    WebhookOutcome<AirtableWebhooks.Payloads> read = webhooks.payloads(base, hook.id(), 1, control);
    assertThat(read).isInstanceOf(WebhookOutcome.CursorTooOld.class);
    assertThat(read.reason()).contains("cursor 1").contains("7 days");
  }

  @Test
  void an_eleventh_webhook_is_an_over_limit_outcome() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    for (int i = 0; i < 10; i++) {
      ok(webhooks.create(base, null, control));
    }
    WebhookOutcome<Webhook> eleventh = webhooks.create(base, null, control);
    assertThat(eleventh).isInstanceOf(WebhookOutcome.OverLimit.class);
    assertThat(eleventh.reason()).contains("integrity webhooks delete");
  }

  @Test
  void a_token_without_webhook_manage_is_a_missing_scope_outcome_in_airtables_words() {
    start(Set.of("data.records:read", "schema.bases:read"));
    FetchControl control = FetchControl.create();
    WebhookOutcome<Webhook> created = webhooks.create(base, null, control);
    assertThat(created).isInstanceOf(WebhookOutcome.MissingScope.class);
    assertThat(created.reason())
        .contains("webhook:manage")
        .contains("HTTP 403 INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND: ");
    assertThat(webhooks.list(base, control)).isInstanceOf(WebhookOutcome.MissingScope.class);
  }

  @Test
  void payload_values_map_to_checked_field_names_and_a_field_rename_sends_no_payload() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    BaseSchema schema = sim.dataset().schema();
    Map<String, MirrorChanges.Scope> scopes =
        Map.of(
            "alpha", new MirrorChanges.Scope("Alpha", Set.of("Number")),
            "beta", new MirrorChanges.Scope("Beta", Set.of("Name", "Number")));
    String a0 = rec("Alpha", 0);
    String b1 = rec("Beta", 1);
    Edits.Result created =
        sim.apply(
            Edits.begin()
                .create("Alpha", Map.of("Name", "New", "Number", 7))
                .update("Alpha", a0, Map.of("Name", "only an unchecked field"))
                .update("Beta", rec("Beta", 0), Map.of("Number", 50)));
    sim.apply(Edits.begin().destroy("Beta", b1));
    AirtableWebhooks.Payloads read = ok(webhooks.payloads(base, hook.id(), 1, control));
    List<WebhookPayload> payloads = read.payloads();

    MirrorChanges.Result result = MirrorChanges.map(payloads, schema, scopes);
    assertThat(result).isInstanceOf(MirrorChanges.Result.Changes.class);
    var changes = ((MirrorChanges.Result.Changes) result).byEntity();
    assertThat(changes.get("alpha"))
        .containsExactly(
            Map.entry(
                created.createdRecordIds().get(0),
                new MirrorChanges.RecordChange.Put(Map.of("Number", 7))));
    assertThat(changes.get("beta"))
        .containsEntry(
            rec("Beta", 0),
            new MirrorChanges.RecordChange.Put(Map.of("Name", "Row 1", "Number", 50)))
        .containsEntry(b1, new MirrorChanges.RecordChange.Destroy());
    // The same payloads map to the same changes: applying them twice changes nothing more.
    assertThat(MirrorChanges.map(payloads, schema, scopes)).isEqualTo(result);

    sim.apply(Edits.begin().renameField("Beta", "Number", "Count"));
    List<WebhookPayload> more =
        ok(webhooks.payloads(base, hook.id(), read.nextCursor(), control)).payloads();
    // The contract's webhook listens to tableData only: a rename reaches no payload, so an
    // incremental run compares the schema it reads with the mirror's instead (IncrementalRunTest).
    assertThat(more).isEmpty();
  }

  @Test
  void a_value_of_a_field_the_mirror_does_not_know_needs_a_full_scan() {
    start(AirtableSimulator.ALL_SCOPES);
    FetchControl control = FetchControl.create();
    Webhook hook = ok(webhooks.create(base, null, control));
    BaseSchema schema = sim.dataset().schema(); // as the mirror knew it, before the new field
    sim.apply(Edits.begin().createField("Alpha", "Notes", "multilineText"));
    sim.apply(Edits.begin().update("Alpha", rec("Alpha", 0), Map.of("Notes", "hello")));
    // tableData only: the field's creation sends no payload, the value does (payload 1).
    List<WebhookPayload> payloads = ok(webhooks.payloads(base, hook.id(), 1, control)).payloads();
    MirrorChanges.Result result =
        MirrorChanges.map(
            payloads, schema, Map.of("alpha", new MirrorChanges.Scope("Alpha", Set.of("Number"))));
    assertThat(result).isInstanceOf(MirrorChanges.Result.FullScanNeeded.class);
    assertThat(((MirrorChanges.Result.FullScanNeeded) result).reason())
        .contains("not in the mirror's schema");
  }
}
