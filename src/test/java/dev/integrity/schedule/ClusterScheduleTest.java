package dev.integrity.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.integrity.store.FireRow;
import dev.integrity.store.RunQuery;
import dev.integrity.store.RunRecord;
import dev.integrity.store.ScheduleRow;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two schedule services on one PostgreSQL (127.0.0.1:5432, database {@code test}, a fresh schema
 * for this class), as two {@code serve} processes would be: each fire runs exactly once. Skipped,
 * with the reason, when PostgreSQL is unreachable.
 */
class ClusterScheduleTest {
  private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final List<String> USERS = List.of("postgres", "root");
  private static final int FIRES = 20;
  private static String user;
  private static String schema;

  @BeforeAll
  static void createSchema() throws SQLException {
    String reason = "no PostgreSQL at " + SERVER;
    for (String candidate : USERS) {
      try (Connection c =
          DriverManager.getConnection(
              SERVER + "?connectTimeout=2&socketTimeout=10", candidate, "")) {
        user = candidate;
        break;
      } catch (SQLException e) {
        reason = "PostgreSQL at " + SERVER + " unreachable as " + candidate + ": " + e.getMessage();
      }
    }
    if (user == null) {
      System.err.println("Skipping ClusterScheduleTest: " + reason);
    }
    Assumptions.assumeTrue(user != null, reason);
    schema = "schedule_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute("CREATE SCHEMA " + schema);
  }

  @AfterAll
  static void dropSchema() throws SQLException {
    if (schema != null) {
      execute("DROP SCHEMA " + schema + " CASCADE");
    }
  }

  private static void execute(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(SERVER + "?connectTimeout=2", user, "");
        Statement statement = c.createStatement()) {
      statement.execute(sql);
    }
  }

  private static StoreSettings settings() {
    return new StoreSettings(SERVER + "?currentSchema=" + schema, user, null);
  }

  @Test
  void two_instances_on_one_postgresql_run_each_of_twenty_per_second_fires_exactly_once() {
    MutableClock clock = new MutableClock(Instant.parse("2025-03-03T12:00:00.500Z"));
    List<RecordingHandler.Fire> fires = new CopyOnWriteArrayList<>();
    try (Store storeA = Store.open(settings(), clock);
        Store storeB = Store.open(settings(), clock);
        ScheduleService a =
            new ScheduleService(
                storeA,
                clock,
                settings("instance-a"),
                new RecordingHandler("instance-a", storeA, clock, true, fires));
        ScheduleService b =
            new ScheduleService(
                storeB,
                clock,
                settings("instance-b"),
                new RecordingHandler("instance-b", storeB, clock, true, fires))) {
      a.put(
          new ScheduleRow(
              "every-second",
              "appCluster000001",
              "* * * * * *",
              "UTC",
              List.of(),
              true,
              null,
              null,
              null));
      a.start();
      b.start();
      assertThat(b.find("every-second").orElseThrow().nextFireAt())
          .isEqualTo(Instant.parse("2025-03-03T12:00:01Z"));

      for (int second = 1; second <= FIRES; second++) {
        clock.advance(Duration.ofSeconds(1));
        int expected = second;
        await()
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    fires.size() >= expected
                        && b.find("every-second")
                            .orElseThrow()
                            .nextFireAt()
                            .isAfter(clock.instant()));
        assertThat(fires).as("fires after second %d", second).hasSize(expected);
      }

      // Every clock second fired once, by one instance or the other, and started one run.
      assertThat(fires.stream().map(RecordingHandler.Fire::at).distinct()).hasSize(FIRES);
      Map<String, Long> byInstance =
          fires.stream()
              .collect(
                  Collectors.groupingBy(RecordingHandler.Fire::instance, Collectors.counting()));
      assertThat(byInstance.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FIRES);
      List<FireRow> recorded = storeA.schedules().fires("every-second", 100);
      assertThat(recorded).hasSize(FIRES).allMatch(f -> FireRow.STARTED.equals(f.outcome()));
      List<RunRecord> runs = storeB.runs().list(RunQuery.latest(100));
      assertThat(runs).hasSize(FIRES).allMatch(r -> "every-second".equals(r.schedule()));
      System.err.println("fires by instance: " + byInstance);
    }
  }

  private static ScheduleSettings settings(String instance) {
    return new ScheduleSettings(Duration.ofMillis(100), Duration.ofSeconds(5), 2, instance, true);
  }
}
