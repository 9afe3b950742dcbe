package dev.integrity.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.sim.AirtableSimulator;
import dev.integrity.sim.Dataset;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Issue 18, not a test: the real {@code integrity run} of the {@link LargeSchool} base (500,500
 * records at scale 1) in a child JVM with a small heap, against the simulator in this JVM, over
 * HTTP. Passes when the run ends {@code succeeded}, every entity {@code checked}, and its issues
 * equal the base's planted ones (the oracle), in total and per entity. Prints the child's wall
 * time, its full GCs and its peak heap after GC (from its GC log). Run with
 *
 * <pre>
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) \
 *   dev.integrity.bench.LargeSchoolRunBenchmark [scale, default 1.0] [heap, default 256m]
 * </pre>
 *
 * Exit status 0 when it passes, 1 when not.
 */
public final class LargeSchoolRunBenchmark {
  private LargeSchoolRunBenchmark() {}

  public static void main(String[] args) throws Exception {
    double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1.0;
    String heap = args.length > 1 ? args[1] : "256m";
    LargeSchool school = new LargeSchool(scale);
    Dataset data = school.dataset();
    Path dir = Files.createTempDirectory("large-school");
    Path config = dir.resolve("integrity.yml");
    Files.writeString(
        config,
        "airtable:\n  baseId: "
            + data.baseId()
            + "\n  token: ${AIRTABLE_TOKEN}\nentities:\n"
            + LargeSchool.entitiesYaml().indent(2));
    Path gcLog = dir.resolve("gc.log");
    boolean passed;
    try (AirtableSimulator sim =
        AirtableSimulator.builder().dataset(data).rateLimitPerSecond(0).build().start()) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx" + heap);
      command.add("-Xlog:gc:file=" + gcLog);
      command.add("--enable-native-access=ALL-UNNAMED");
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("dev.integrity.cli.Main");
      command.addAll(List.of("run", "--config", config.toString(), "--format", "json"));
      ProcessBuilder pb = new ProcessBuilder(command);
      Map<String, String> env = pb.environment();
      env.put("AIRTABLE_BASE_URL", sim.baseUrl().toString());
      env.put("AIRTABLE_TOKEN", sim.token());
      env.put("AIRTABLE_RATE_LIMIT_PER_SECOND", "1000");
      env.put("MAX_RUN_DURATION_SECONDS", "3600");
      env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("integrity.db"));
      pb.redirectError(dir.resolve("stderr.log").toFile());
      pb.redirectOutput(dir.resolve("stdout.json").toFile());
      long t0 = System.nanoTime();
      int exit = pb.start().waitFor();
      long ms = (System.nanoTime() - t0) / 1_000_000;

      String out = Files.readString(dir.resolve("stdout.json"));
      JsonNode run = out.isBlank() ? null : new ObjectMapper().readTree(out);
      Map<String, Long> found = new LinkedHashMap<>();
      boolean allChecked = run != null;
      if (run != null) {
        for (JsonNode e : run.path("entities")) {
          found.put(e.path("name").asText(), e.path("issues").asLong());
          allChecked &= e.path("checked").asBoolean();
        }
      }
      Map<String, Long> expected = school.expectedIssues();
      long total = run == null ? -1 : run.path("issues").path("total").asLong();
      String status = run == null ? "(no JSON)" : run.path("status").asText();
      passed =
          "succeeded".equals(status)
              && allChecked
              && found.equals(expected)
              && total == school.expectedTotal();
      System.out.printf(
          "records=%,d heap=%s exit=%d status=%s all checked=%s wall=%,d ms%n",
          school.records(), heap, exit, status, allChecked, ms);
      System.out.printf(
          "issues: run %,d, oracle %,d; per entity run %s, oracle %s%n",
          total, school.expectedTotal(), found, expected);
      System.out.println(gcSummary(gcLog));
      if (passed) {
        // The store of a 500,500-record run is about 100 MB; the logs stay for a look.
        Files.deleteIfExists(dir.resolve("integrity.db"));
      }
      System.out.println((passed ? "PASS" : "FAIL") + " (files in " + dir + File.separator + ")");
    }
    System.exit(passed ? 0 : 1);
  }

  /** Full GCs, and the largest heap left after a collection, from a -Xlog:gc file. */
  private static String gcSummary(Path gcLog) throws Exception {
    if (!Files.exists(gcLog)) {
      return "no GC log";
    }
    Pattern after = Pattern.compile("->(\\d+)M\\(\\d+M\\)");
    long full = 0;
    long peakAfter = 0;
    for (String line : Files.readAllLines(gcLog)) {
      if (line.contains("Pause Full")) {
        full++;
      }
      Matcher m = after.matcher(line);
      if (m.find()) {
        peakAfter = Math.max(peakAfter, Long.parseLong(m.group(1)));
      }
    }
    return String.format(
        "GC: %d full collections, peak heap after a collection %d MB", full, peakAfter);
  }
}
