package dev.integrity.alert;

import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.AlertDelivery;
import dev.integrity.store.AlertRow;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import dev.integrity.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real SQLite store in a temp directory, a settable clock, and helpers to make runs. */
final class AlertFixture implements AutoCloseable {
  static final String DASHBOARD = "http://127.0.0.1:8080";
  static final Instant T0 = Instant.parse("2025-03-01T02:00:00Z");

  final MutableClock clock = new MutableClock(T0);
  final Store store;
  final CountingMetrics metrics = new CountingMetrics();

  AlertFixture(Path dir) {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + dir.resolve("alerts.db")), clock);
  }

  /** Fast retries so tests stay within seconds. */
  static AlertSettings settings() {
    return AlertSettings.defaults(DASHBOARD)
        .withDelivery(3, Duration.ofMillis(50), Duration.ofMillis(200));
  }

  AlertService service(AlertSettings settings, AlertChannel... channels) {
    return new AlertService(
        store,
        clock,
        settings,
        List.of(channels),
        AlertService.newDeliveryPool(),
        AlertService.newRetryTimers(),
        metrics);
  }

  AlertService service(AlertSettings settings, AlertRoutes routes) {
    return new AlertService(
        store,
        clock,
        settings,
        routes,
        AlertService.newDeliveryPool(),
        AlertService.newRetryTimers(),
        metrics);
  }

  RunRecord running(String baseId) {
    RunRecord run = store.runs().create(baseId, Trigger.SCHEDULE, "nightly", List.of("classes"));
    store.runs().claim(run.id(), "owner-1");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "classes", "Classes")));
    return store.runs().find(run.id()).orElseThrow();
  }

  RunRecord finish(RunRecord run, RunStatus status, String error) {
    store.runs().finish(run.id(), status, error);
    return store.runs().find(run.id()).orElseThrow();
  }

  RunRecord ended(String baseId, RunStatus status, String error) {
    RunRecord run = running(baseId);
    clock.advance(Duration.ofMinutes(3));
    return finish(run, status, error);
  }

  /** The checks of entity classes in the tests' config: the issue helpers name them. */
  static final List<String> CHECKS = List.of("fail-check", "warn-check");

  /** Stores the run's issues and computes their states against the base's earlier runs. */
  void writeIssues(RunRecord run, IssueRow... rows) {
    writeIssues(run, CHECKS, rows);
  }

  /** The same, with {@code checks} the checks of classes in the run's config, all run whole. */
  void writeIssues(RunRecord run, List<String> checks, IssueRow... rows) {
    try (IssueWriter writer = store.issues().writer(run.id())) {
      for (IssueRow row : rows) {
        writer.add(row);
      }
    }
    store
        .issues()
        .computeStates(run.id(), run.baseId(), List.of(EntityCoverage.complete("classes", checks)));
    for (EntityProgress e : store.runs().entities(run.id())) {
      store.runs().updateEntity(e.checkedWith(rows.length));
    }
  }

  List<AlertRow> alerts() {
    return store.alerts().list(100);
  }

  List<AlertDelivery> deliveries(AlertRow row) {
    return store.alerts().deliveries(row.id());
  }

  @Override
  public void close() {
    store.close();
  }

  /** Counts sent and failed per channel. */
  static final class CountingMetrics implements AlertMetrics {
    final ConcurrentHashMap<String, AtomicInteger> sent = new ConcurrentHashMap<>();
    final ConcurrentHashMap<String, AtomicInteger> failed = new ConcurrentHashMap<>();

    @Override
    public void onAlertSent(String channel) {
      sent.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void onAlertFailed(String channel) {
      failed.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
    }

    int sent(String channel) {
      AtomicInteger n = sent.get(channel);
      return n == null ? 0 : n.get();
    }

    int failed(String channel) {
      AtomicInteger n = failed.get(channel);
      return n == null ? 0 : n.get();
    }
  }

  /** A channel that keeps what it is given; a real in-process recipient, not a mock. */
  static final class RecordingChannel implements AlertChannel {
    final List<AlertMessage> messages = new CopyOnWriteArrayList<>();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void send(AlertMessage message) {
      messages.add(message);
    }
  }
}
