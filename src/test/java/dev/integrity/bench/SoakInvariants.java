package dev.integrity.bench;

import static dev.integrity.bench.ChaosSoak.ENTITIES;
import static dev.integrity.bench.ChaosSoak.GRACE;
import static dev.integrity.bench.ChaosSoak.HEARTBEAT_SECONDS;
import static dev.integrity.bench.ChaosSoak.POLL;
import static dev.integrity.bench.ChaosSoak.SERVE_READY_WITHIN;
import static dev.integrity.bench.ChaosSoak.STALE_SECONDS;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.integrity.bench.ChaosSoak.Base;
import dev.integrity.bench.ChaosSoak.Tracked;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import dev.integrity.store.RunQuery;
import dev.integrity.store.Store;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The soak's four invariants, checked against the store after each run (1 to 3) and at the end (4):
 * the run is terminal within its bound, a {@code succeeded} run has every entity checked, every
 * checked entity's issues are the oracle's, and every triggered run is in the store once with its
 * entities. It owns what they are judged on: the runs triggered, the runs seen to end, and the
 * windows the database was down (which stretch a run's bound). Failures go to {@link SoakFailures}.
 */
final class SoakInvariants {
  private final ChaosSoak.Options o;
  private final Store store;
  private final SoakServe serve;
  private final SoakApi api;
  private final SoakFailures failures;
  private final Map<String, Tracked> triggered = new ConcurrentHashMap<>();
  private final Map<String, RunStatus> ended = new ConcurrentHashMap<>();
  private final List<long[]> dbDownWindows = new CopyOnWriteArrayList<>();

  SoakInvariants(
      ChaosSoak.Options o, Store store, SoakServe serve, SoakApi api, SoakFailures failures) {
    this.o = o;
    this.store = store;
    this.serve = serve;
    this.api = api;
    this.failures = failures;
  }

  /** A run the soak triggered, to be checked. */
  void track(Tracked run) {
    triggered.put(run.id(), run);
  }

  /**
   * A database outage, {@code {from, to}} in nanos; the proxy's lifting sets {@code to} to when it
   * really came back.
   */
  void dbDown(long[] window) {
    dbDownWindows.add(window);
  }

  int triggeredCount() {
    return triggered.size();
  }

  /** The runs seen to end, by id: a live view. */
  Map<String, RunStatus> ended() {
    return ended;
  }

  /** Waits for the base's runs not yet seen to end, and checks them. */
  void checkRunsOf(Base base) {
    for (Tracked t : List.copyOf(triggered.values())) {
      if (t.base() == base && !ended.containsKey(t.id())) {
        awaitAndCheck(t);
      }
    }
  }

  /** Waits for the run to be terminal within its bound, then checks invariants 1 to 3. */
  private void awaitAndCheck(Tracked t) {
    RunRecord[] seen = new RunRecord[1];
    // The wait is generous (a kill may come late in the run): the bound is judged afterwards.
    Duration waitAtMost =
        Duration.ofSeconds(o.maxRunSeconds() + STALE_SECONDS + HEARTBEAT_SECONDS)
            .plus(GRACE)
            .plus(SERVE_READY_WITHIN);
    try {
      await()
          .atMost(waitAtMost)
          .pollInterval(POLL)
          .ignoreExceptions()
          .until(
              () -> {
                seen[0] = store.runs().find(t.id()).orElse(null);
                return seen[0] != null && seen[0].status().terminal();
              });
    } catch (ConditionTimeoutException e) {
      failures.invariant(
          t,
          "I1",
          "not terminal after "
              + waitAtMost.toSeconds()
              + " s: store says "
              + (seen[0] == null ? "no such run" : seen[0].status().wire() + describe(seen[0])));
      ended.put(t.id(), seen[0] == null ? RunStatus.QUEUED : seen[0].status());
      return;
    }
    RunRecord run = seen[0];
    ended.put(t.id(), run.status());
    Duration bound = bound(t, run);
    Duration took = Duration.between(run.createdAt(), run.finishedAt());
    if (took.compareTo(bound) > 0) {
      failures.invariant(
          t,
          "I1",
          String.format(
              Locale.ROOT,
              "ended %s after %.1f s, over its bound of %d s%s",
              run.status().wire(),
              took.toMillis() / 1000.0,
              bound.toSeconds(),
              describe(run)));
    }
    List<EntityProgress> entities = readEntities(t.id());
    Map<String, EntityProgress> byName = new LinkedHashMap<>();
    entities.forEach(e -> byName.put(e.name(), e));
    if (run.status() == RunStatus.SUCCEEDED) {
      List<String> unchecked =
          ENTITIES.stream().filter(n -> byName.get(n) == null || !byName.get(n).checked()).toList();
      if (!unchecked.isEmpty()) {
        failures.invariant(
            t, "I2", "succeeded with entities not checked: " + unchecked + describe(run));
      }
    }
    Map<String, Long> oracle = t.base().school().expectedIssues();
    Map<String, Long> dangling = t.base().school().danglingLinkIssues();
    for (EntityProgress e : entities) {
      if (!e.checked()) {
        continue;
      }
      long expected = oracle.getOrDefault(e.name(), -1L);
      long floor = e.partialChecks().isEmpty() ? expected : expected - dangling.get(e.name());
      if (e.issues() < floor || e.issues() > expected) {
        failures.invariant(
            t,
            "I3",
            String.format(
                Locale.ROOT,
                "entity %s checked with %d issues, oracle %s%s (status %s, records %d)",
                e.name(),
                e.issues(),
                floor == expected ? Long.toString(expected) : floor + ".." + expected,
                e.partialChecks().isEmpty() ? "" : " partial " + e.partialChecks(),
                e.status().wire(),
                e.records()));
      }
    }
    checkIssueSets(t, entities);
    crossCheckApi(t, run);
  }

  /**
   * Invariant 3 by issue: a checked entity's open issues are the oracle's, record by record and
   * field by field (without the dangling links, or some of them, when its link check was partial).
   */
  private void checkIssueSets(Tracked t, List<EntityProgress> entities) {
    Map<String, Set<String>> oracle = t.base().school().expectedIssueKeys();
    Map<String, Set<String>> dangling = t.base().school().danglingLinkIssueKeys();
    for (EntityProgress e : entities) {
      if (!e.checked() || !oracle.containsKey(e.name())) {
        continue;
      }
      Set<String> found =
          await()
              .atMost(Duration.ofSeconds(30))
              .pollInterval(POLL)
              .ignoreExceptions()
              .until(() -> openIssues(t.id(), e.name()), x -> true);
      Set<String> expected = oracle.get(e.name());
      Set<String> floor = new TreeSet<>(expected);
      if (!e.partialChecks().isEmpty()) {
        floor.removeAll(dangling.get(e.name()));
      }
      if (!found.containsAll(floor) || !expected.containsAll(found)) {
        Set<String> missing = new TreeSet<>(floor);
        missing.removeAll(found);
        Set<String> extra = new TreeSet<>(found);
        extra.removeAll(expected);
        failures.invariant(
            t,
            "I3",
            String.format(
                Locale.ROOT,
                "entity %s: issues missing %s, not in the oracle %s%s",
                e.name(),
                abbreviate(missing),
                abbreviate(extra),
                e.partialChecks().isEmpty() ? "" : " (partial " + e.partialChecks() + ")"));
      }
    }
  }

  private Set<String> openIssues(String runId, String entity) {
    Set<String> out = new TreeSet<>();
    store
        .issues()
        .forEach(
            runId,
            new IssueQuery(entity, null, null, IssueFilter.OPEN),
            i -> out.add(i.recordId() + " " + i.field()));
    return out;
  }

  private static String abbreviate(Set<String> keys) {
    return keys.size() <= 5
        ? keys.toString()
        : keys.stream().limit(5).collect(Collectors.joining(", ", "[", ", …]"))
            + " ("
            + keys.size()
            + ")";
  }

  private Duration bound(Tracked t, RunRecord run) {
    Duration bound = Duration.ofSeconds(o.maxRunSeconds()).plus(GRACE);
    if (serve.wasKilled(run.owner())) {
      bound = bound.plusSeconds(STALE_SECONDS + HEARTBEAT_SECONDS);
    }
    long from = t.triggeredAt();
    long to = System.nanoTime();
    for (long[] w : dbDownWindows) {
      long overlap = Math.min(to, w[1]) - Math.max(from, w[0]);
      if (overlap > 0) {
        bound = bound.plusNanos(overlap);
      }
    }
    return bound;
  }

  /** The API says what the store says (when the serve is up to answer). */
  private void crossCheckApi(Tracked t, RunRecord run) {
    try {
      HttpResponse<String> res = api.get(serve.url(), "/api/runs/" + t.id());
      if (res.statusCode() != 200) {
        return; // a restart or a database outage: the store was read directly
      }
      JsonNode body = api.json(res);
      if (!run.status().wire().equals(body.path("status").asText())) {
        failures.invariant(
            t,
            "API",
            "GET /api/runs/{id} says "
                + body.path("status").asText()
                + ", the store "
                + run.status().wire());
      }
    } catch (IOException e) {
      // the serve is being restarted: nothing to compare with
    }
  }

  private List<EntityProgress> readEntities(String runId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(() -> store.runs().entities(runId), e -> true);
  }

  private static String describe(RunRecord run) {
    return " (owner "
        + run.owner()
        + ", created "
        + run.createdAt()
        + ", finished "
        + run.finishedAt()
        + ", heartbeat "
        + run.heartbeatAt()
        + (run.error() == null ? "" : ", error \"" + run.error() + "\"")
        + ")";
  }

  /** Invariant 4 and a last look at every run: each once in the store, with its entities. */
  void finalChecks() {
    serve.checkAlive();
    for (Tracked t : List.copyOf(triggered.values())) {
      if (!ended.containsKey(t.id())) {
        awaitAndCheck(t);
      }
    }
    List<RunRecord> all =
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(POLL)
            .ignoreExceptions()
            .until(() -> store.runs().list(RunQuery.latest(1_000_000)), l -> true);
    Map<String, Integer> times = new HashMap<>();
    all.forEach(r -> times.merge(r.id(), 1, Integer::sum));
    for (Tracked t : triggered.values()) {
      int n = times.getOrDefault(t.id(), 0);
      if (n != 1) {
        failures.invariant(t, "I4", "in the store " + n + " times");
        continue;
      }
      List<String> names = readEntities(t.id()).stream().map(EntityProgress::name).toList();
      RunRecord run = all.stream().filter(r -> r.id().equals(t.id())).findFirst().orElseThrow();
      boolean planned = run.startedAt() != null;
      if (names.size() != Set.copyOf(names).size()
          || (planned && !Set.copyOf(names).equals(Set.copyOf(ENTITIES)))) {
        failures.invariant(
            t, "I4", "entities in the store " + names + " (" + run.status().wire() + ")");
      }
    }
    List<String> unknown =
        all.stream()
            .filter(r -> !triggered.containsKey(r.id()))
            .map(r -> r.id() + " " + r.status().wire() + describe(r))
            .toList();
    if (unknown.size() > api.lostPosts()) {
      failures.other(
          "I4 the store has "
              + unknown.size()
              + " runs the soak did not trigger, with "
              + api.lostPosts()
              + " lost POSTs to explain them: "
              + unknown);
    }
  }
}
