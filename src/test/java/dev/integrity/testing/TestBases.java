package dev.integrity.testing;

import dev.integrity.sim.AirtableSimulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Config files and environments that point the app at a simulator, for tests. Stateless. */
public final class TestBases {
  private TestBases() {}

  /**
   * An environment for a run against the simulator with short limits: 1 s requests, a run deadline
   * of {@code runSeconds}, heartbeats every second, a fresh SQLite store in {@code dir}.
   */
  public static Map<String, String> env(AirtableSimulator sim, Path dir, int runSeconds) {
    Map<String, String> env = new HashMap<>();
    env.put("AIRTABLE_BASE_URL", sim.baseUrl().toString());
    env.put("AIRTABLE_TOKEN", sim.token());
    env.put("AIRTABLE_REQUEST_TIMEOUT_SECONDS", "1");
    env.put("AIRTABLE_CONNECT_TIMEOUT_SECONDS", "1");
    env.put("AIRTABLE_READ_TIMEOUT_SECONDS", "1");
    env.put("AIRTABLE_MAX_RETRIES", "10");
    env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "50");
    env.put("MAX_RUN_DURATION_SECONDS", Integer.toString(runSeconds));
    env.put("HUNG_RUN_THRESHOLD_MINUTES", "5");
    env.put("RUN_HEARTBEAT_INTERVAL_SECONDS", "1");
    env.put("RUN_HEARTBEAT_STALE_SECONDS", "10");
    env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("integrity.db"));
    return env;
  }

  /**
   * The entities of {@code Dataset.synthetic(Teachers, Students)}: teachers need a name, students'
   * Number must be at most {@code maxNumber}, so a student table of n rows has n - maxNumber
   * issues.
   */
  public static String teachersAndStudents(int maxNumber) {
    return """
          teachers:
            table: Teachers
            checks:
              - required: [Name]
          students:
            table: Students
            checks:
              - range: {field: Number, min: 1, max: %d}
        """
        .formatted(maxNumber);
  }

  /** Writes an integrity.yml for {@code baseId} with the given {@code entities:} block. */
  public static Path config(Path dir, String baseId, String entitiesYaml) {
    String yaml =
        "airtable:\n  baseId: "
            + baseId
            + "\n  token: ${AIRTABLE_TOKEN}\nentities:\n"
            + entitiesYaml.stripTrailing()
            + "\n";
    Path file = dir.resolve("integrity-" + Math.abs(yaml.hashCode()) + ".yml");
    try {
      Files.writeString(file, yaml);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }
}
