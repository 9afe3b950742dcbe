package dev.integrity.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.integrity.Secret;
import dev.integrity.Ticker;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableListener;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.airtable.AirtableWebhooks;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.ListOptions;
import dev.integrity.airtable.MirrorChanges;
import dev.integrity.airtable.Webhook;
import dev.integrity.airtable.WebhookOutcome;
import dev.integrity.model.AirtableRecord;
import dev.integrity.model.BaseSchema;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import dev.integrity.sim.Edits;
import dev.integrity.store.MirrorEdit;
import dev.integrity.store.MirrorRecord;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The building blocks of an incremental run together: a mirror built by a full listing and then fed
 * random edit sequences through webhook payloads, applied twice (a crash before the cursor is
 * stored re-reads them), holds exactly what a new full listing reads.
 */
class MirrorFollowsBaseTest {
  static final Map<String, MirrorChanges.Scope> SCOPES =
      Map.of(
          "alpha", new MirrorChanges.Scope("Alpha", Set.of("Number")),
          "beta", new MirrorChanges.Scope("Beta", Set.of("Name", "Number")));

  @TempDir Path dir;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5})
  void a_mirror_fed_by_payloads_equals_a_full_listing_after_random_edits(long seed)
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2025-03-01T00:00:00Z"));
    try (AirtableSimulator sim =
            AirtableSimulator.builder()
                .dataset(Dataset.synthetic(Map.of("Alpha", 20, "Beta", 20)))
                .rateLimitPerSecond(0)
                .clock(clock)
                .build()
                .start();
        AirtableClient client = client(sim);
        Store store =
            Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("m" + seed + ".db")), clock)) {
      String base = sim.dataset().baseId();
      FetchControl control = FetchControl.create();
      AirtableWebhooks webhooks = new AirtableWebhooks(client, clock);
      Webhook hook = ((WebhookOutcome.Ok<Webhook>) webhooks.create(base, null, control)).value();
      BaseSchema schema = client.fetchSchema(base, control);
      for (var e : SCOPES.entrySet()) {
        store
            .mirrors()
            .replace(
                base,
                e.getKey(),
                e.getValue().table(),
                List.copyOf(e.getValue().fields()),
                listing(client, base, e.getValue()));
      }
      store.mirrors().saveWebhook(base, hook.id(), hook.expirationTime(), 1);

      randomEdits(sim, new Random(seed), 25);

      long cursor = store.mirrors().webhook(base).orElseThrow().cursor();
      var read =
          ((WebhookOutcome.Ok<AirtableWebhooks.Payloads>)
                  webhooks.payloads(base, hook.id(), cursor, control))
              .value();
      MirrorChanges.Result mapped = MirrorChanges.map(read.payloads(), schema, SCOPES);
      assertThat(mapped).isInstanceOf(MirrorChanges.Result.Changes.class);
      Map<String, Map<String, MirrorEdit>> edits =
          IncrementalSource.toStore(((MirrorChanges.Result.Changes) mapped).byEntity());
      store.inTransaction(
          "incremental run",
          () -> {
            store.mirrors().apply(base, edits);
            return null;
          });
      // A crash here, before the cursor is stored, re-reads and re-applies the same payloads.
      store.mirrors().apply(base, edits);
      assertThat(store.mirrors().saveCursor(base, hook.id(), read.nextCursor())).isTrue();

      for (var e : SCOPES.entrySet()) {
        assertThat(store.mirrors().records(base, e.getKey()))
            .as("entity %s, seed %d", e.getKey(), seed)
            .isEqualTo(listing(client, base, e.getValue()));
      }
    }
  }

  static AirtableClient client(AirtableSimulator sim) {
    return new AirtableClient(
        AirtableSettings.builder()
            .baseUrl(sim.baseUrl())
            .token(new Secret(sim.token()))
            .connectTimeout(Duration.ofSeconds(2))
            .readTimeout(Duration.ofSeconds(5))
            .writeTimeout(Duration.ofSeconds(5))
            .requestTimeout(Duration.ofSeconds(10))
            .maxRetries(2)
            .rateLimitPerSecond(100)
            .build(),
        Ticker.system(),
        AirtableListener.none());
  }

  /** What a full run mirrors: the checked values of every record, by record id. */
  static List<MirrorRecord> listing(AirtableClient client, String base, MirrorChanges.Scope scope) {
    List<MirrorRecord> out = new ArrayList<>();
    for (AirtableRecord r :
        client
            .listRecords(base, scope.table(), ListOptions.all(), FetchControl.create(), null)
            .records()) {
      Map<String, Object> fields = new LinkedHashMap<>();
      r.fields()
          .forEach(
              (k, v) -> {
                if (scope.fields().contains(k)) {
                  fields.put(k, v);
                }
              });
      out.add(new MirrorRecord(r.id(), fields));
    }
    out.sort(java.util.Comparator.comparing(MirrorRecord::recordId));
    return out;
  }

  /** Transactions of 1-4 random creations, updates (some emptying a field) and destructions. */
  static void randomEdits(AirtableSimulator sim, Random random, int transactions) {
    String[] tables = {"Alpha", "Beta"};
    for (int t = 0; t < transactions; t++) {
      Edits edits = Edits.begin();
      int ops = 1 + random.nextInt(4);
      Dataset now = sim.currentDataset();
      java.util.Set<String> touched = new java.util.HashSet<>();
      for (int i = 0; i < ops; i++) {
        String table = tables[random.nextInt(2)];
        List<AirtableRecord> records = now.table(table).orElseThrow().records();
        int kind = random.nextInt(3);
        if (kind == 0 || records.size() < 3) {
          edits.create(table, Map.of("Name", "New " + t + "." + i, "Number", random.nextInt(100)));
          continue;
        }
        String id = records.get(random.nextInt(records.size())).id();
        if (!touched.add(id)) {
          continue; // one change per record and transaction keeps the script simple
        }
        if (kind == 1) {
          Map<String, Object> values = new LinkedHashMap<>();
          values.put(
              random.nextBoolean() ? "Name" : "Number",
              random.nextInt(5) == 0 ? null : (Object) ("v" + random.nextInt(1000)));
          if (values.containsKey("Number") && values.get("Number") != null) {
            values.put("Number", random.nextInt(1000));
          }
          edits.update(table, id, values);
        } else {
          edits.destroy(table, id);
        }
      }
      sim.apply(edits);
    }
  }
}
