package dev.integrity.config;

import dev.integrity.config.YamlNode.MapNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Turns a positioned YAML tree into an {@link IntegrityConfig}, recording every problem with its
 * position and key path instead of stopping at the first. Each top-level section has its own binder
 * ({@link AirtableSection}, {@link EntitiesSection}, {@link SchedulesSection}, {@link
 * AlertsSection}) sharing one {@link Binding}. Not thread-safe; one per load.
 */
final class ConfigBinder {
  private static final List<String> TOP_KEYS =
      List.of("airtable", "entities", "schedules", "alerts");

  private final Path file;
  private final Overrides env;
  private final boolean tokenRequired;
  private final Binding b;

  /**
   * @param tokenRequired false for offline {@code validate}: a missing Airtable token is not a
   *     problem (see {@link ConfigLoader#loadOffline})
   */
  ConfigBinder(Path file, Overrides env, boolean tokenRequired, List<ConfigProblem> problems) {
    this.file = file;
    this.env = env;
    this.tokenRequired = tokenRequired;
    this.b = new Binding(file, problems);
  }

  /** The config, or null when there were problems (all of them recorded). */
  IntegrityConfig bind(YamlNode root) {
    int before = b.problemCount();
    MapNode top = b.map(root, "");
    if (top == null) {
      return null;
    }
    b.onlyKeys(top, "", TOP_KEYS);
    AirtableConfig airtable = new AirtableSection(b, env, tokenRequired).bind(top);
    Map<String, EntityConfig> entities = new EntitiesSection(b).bind(top);
    List<ScheduleConfig> schedules = new SchedulesSection(b).bind(top, entities.keySet());
    AlertsConfig alerts = new AlertsSection(b, env).bind(top);
    ownersNeedSmtp(entities, alerts);
    if (b.problemCount() > before || airtable == null) {
      return null;
    }
    return new IntegrityConfig(file, airtable, entities, schedules, alerts);
  }

  /** An owner's e-mail goes through the base's SMTP server: without one it cannot be sent. */
  private void ownersNeedSmtp(Map<String, EntityConfig> entities, AlertsConfig alerts) {
    if (alerts != null && alerts.email() != null) {
      return;
    }
    for (EntityConfig entity : entities.values()) {
      OwnerConfig owner = entity.owner();
      if (owner != null && !owner.email().isEmpty()) {
        b.problem(
            owner.location().line(),
            owner.location().column(),
            owner.location().path() + ".email",
            "an owner's e-mail is sent through the base's SMTP server: set alerts.email (host,"
                + " from) or SMTP_HOST and ALERT_EMAIL_FROM");
      }
    }
  }
}
