package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.store.StoreSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting of the process, read from the environment once, at start, and validated there: the
 * limits (fitted so that they nest, see {@link Limits#fitDefaults}), the store, the overrides of
 * the config files, the API token, logging and the schedule polling interval. Nothing else reads
 * the environment: config files get their {@code ${VAR}} values from {@link #variables()}.
 *
 * <p>Immutable and thread-safe; {@link #toString()} masks every secret, so it is fit for the one
 * start-up log line.
 *
 * @param limits the contract's deadlines, intervals and thresholds, nested
 * @param adjustments how defaults were moved to nest under limits the user set, for the start log
 * @param store where the run store lives (INTEGRITY_DB_URL, _USER, _PASSWORD)
 * @param overrides what the environment sets over every config file
 * @param apiToken bearer token of the REST API (INTEGRITY_API_TOKEN), or null
 * @param logging the format and level of log lines
 * @param schedulePolling how often the service looks for due schedules
 *     (SCHEDULE_POLL_INTERVAL_SECONDS)
 * @param scheduledRunsPerInstance how many scheduled runs one {@code serve} instance carries at
 *     once (SCHEDULED_RUNS_PER_INSTANCE); due fires beyond it wait for a free worker, here or on
 *     another instance sharing the database
 * @param variables the environment as read, for {@code ${VAR}} in config files only
 */
public record Settings(
    Limits limits,
    List<String> adjustments,
    StoreSettings store,
    Overrides overrides,
    Secret apiToken,
    LogSettings logging,
    Duration schedulePolling,
    int scheduledRunsPerInstance,
    Map<String, String> variables) {

  static final String SCHEDULE_POLL_INTERVAL = "SCHEDULE_POLL_INTERVAL_SECONDS";
  static final Duration DEFAULT_SCHEDULE_POLLING = Duration.ofSeconds(5);
  static final String SCHEDULED_RUNS_PER_INSTANCE = "SCHEDULED_RUNS_PER_INSTANCE";
  // Ten bases at Airtable's 5 requests per second fill one token's cap of 50.
  static final int DEFAULT_SCHEDULED_RUNS_PER_INSTANCE = 10;

  public Settings {
    Objects.requireNonNull(limits, "limits");
    adjustments = List.copyOf(adjustments);
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(overrides, "overrides");
    Objects.requireNonNull(logging, "logging");
    Objects.requireNonNull(schedulePolling, "schedulePolling");
    if (scheduledRunsPerInstance < 1) {
      throw new IllegalArgumentException(
          "scheduledRunsPerInstance must be at least 1, was " + scheduledRunsPerInstance);
    }
    variables = Collections.unmodifiableMap(new HashMap<>(variables));
  }

  /** The settings of this process: the one place that reads {@code System.getenv()}. */
  public static Settings fromProcess() {
    return from(System.getenv());
  }

  /** The contract's defaults, as if no variable were set. */
  public static Settings defaults() {
    return from(Map.of());
  }

  /**
   * Reads and validates every variable of the contract from {@code env}.
   *
   * @throws ConfigException naming every variable with a bad value (never quoting a secret), and
   *     each pair of limits the user set that do not nest
   */
  public static Settings from(Map<String, String> env) {
    List<ConfigProblem> problems = new ArrayList<>();
    EnvReader reader = new EnvReader(env, problems);
    List<String> adjustments = new ArrayList<>();
    Limits limits = Limits.read(reader, adjustments);
    String dbUrl = reader.text("INTEGRITY_DB_URL");
    StoreSettings store =
        new StoreSettings(
            dbUrl == null ? StoreSettings.DEFAULT_URL : dbUrl,
            reader.text("INTEGRITY_DB_USER"),
            reader.secret("INTEGRITY_DB_PASSWORD"));
    Long polling = reader.number(SCHEDULE_POLL_INTERVAL, 1, 86_400);
    Long perInstance = reader.number(SCHEDULED_RUNS_PER_INSTANCE, 1, 1_000);
    Settings settings =
        new Settings(
            limits,
            adjustments,
            store,
            Overrides.read(reader),
            reader.secret("INTEGRITY_API_TOKEN"),
            LogSettings.read(reader),
            polling == null ? DEFAULT_SCHEDULE_POLLING : Duration.ofSeconds(polling),
            perInstance == null ? DEFAULT_SCHEDULED_RUNS_PER_INSTANCE : perInstance.intValue(),
            env);
    if (problems.isEmpty()) {
      problems.addAll(limits.nestingProblems());
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return settings;
  }

  /**
   * The same settings with the store at {@code url} (the {@code --db} option) when one is given, so
   * that the start-up line names the store actually opened.
   */
  public Settings withStoreUrl(String url) {
    if (url == null || url.isBlank()) {
      return this;
    }
    return new Settings(
        limits,
        adjustments,
        new StoreSettings(url, store.user(), store.password()),
        overrides,
        apiToken,
        logging,
        schedulePolling,
        scheduledRunsPerInstance,
        variables);
  }

  /**
   * The same settings pointed at another Airtable (the demo's simulator): the overrides and the
   * {@code ${AIRTABLE_TOKEN}} / {@code ${AIRTABLE_BASE_URL}} a config file may use.
   */
  public Settings withAirtable(URI baseUrl, Secret token) {
    Map<String, String> vars = new HashMap<>(variables);
    vars.put("AIRTABLE_BASE_URL", baseUrl.toString());
    vars.put("AIRTABLE_TOKEN", token.reveal());
    vars.remove("AIRTABLE_API_KEY");
    return new Settings(
        limits,
        adjustments,
        store,
        overrides.withAirtable(baseUrl, token),
        apiToken,
        logging,
        schedulePolling,
        scheduledRunsPerInstance,
        vars);
  }

  /** The same settings with another rate ceiling, unless the user set one (the demo's default). */
  public Settings withDefaultRateLimit(int perSecond) {
    if (new EnvReader(variables, new ArrayList<>()).given(Limits.RATE_LIMIT)) {
      return this;
    }
    return new Settings(
        limits.withRateLimitPerSecond(perSecond),
        adjustments,
        store,
        overrides,
        apiToken,
        logging,
        schedulePolling,
        scheduledRunsPerInstance,
        variables);
  }

  /** One line for the start log: every value that matters, secrets masked, no variable dump. */
  @Override
  public String toString() {
    return "Settings[store="
        + store
        + ", limits="
        + limits
        + ", airtableBaseUrl="
        + (overrides.airtableBaseUrl() == null ? "from config" : overrides.airtableBaseUrl())
        + ", airtableToken="
        + (overrides.airtableToken() == null ? "from config" : overrides.airtableToken())
        + ", apiToken="
        + (apiToken == null ? "none" : apiToken)
        + ", logging="
        + logging
        + ", schedulePolling="
        + schedulePolling
        + ", scheduledRunsPerInstance="
        + scheduledRunsPerInstance
        + "]";
  }
}
