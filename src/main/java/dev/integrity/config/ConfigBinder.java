package dev.integrity.config;

import com.github.kagkarlsson.scheduler.task.schedule.CronSchedule;
import com.google.re2j.PatternSyntaxException;
import dev.integrity.Secret;
import dev.integrity.config.YamlNode.Entry;
import dev.integrity.config.YamlNode.ListNode;
import dev.integrity.config.YamlNode.MapNode;
import dev.integrity.config.YamlNode.ScalarNode;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns a positioned YAML tree into an {@link IntegrityConfig}, recording every problem with its
 * position and key path instead of stopping at the first. Not thread-safe; one per load.
 */
final class ConfigBinder {
  private static final List<String> TOP_KEYS =
      List.of("airtable", "entities", "schedules", "alerts");
  private static final List<String> COMMON_OPTIONS = List.of("id", "severity");

  /** Check types in the order messages list them, each with its own options. */
  private static final List<String> TYPES =
      List.of("required", "unique", "allowed", "pattern", "format", "range", "link", "rule");

  private static final Map<String, List<String>> OPTIONS =
      Map.of(
          "required", List.of("fields"),
          "unique", List.of("fields", "normalize"),
          "allowed", List.of("field", "values"),
          "pattern", List.of("field", "regex"),
          "format", List.of("field", "as"),
          "range", List.of("field", "min", "max"),
          "link", List.of("field", "to", "min", "max"),
          "rule", List.of("name", "expr"));

  /** The option a scalar or list written right after the type stands for. */
  private static final Map<String, String> PRIMARY =
      Map.of(
          "required", "fields",
          "unique", "fields",
          "allowed", "field",
          "pattern", "field",
          "format", "field",
          "range", "field",
          "link", "field",
          "rule", "expr");

  private static final java.util.regex.Pattern ENTITY_NAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");
  private static final java.util.regex.Pattern BASE_ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]+");

  private final Path file;
  private final EnvSettings env;
  private final List<ConfigProblem> problems;

  ConfigBinder(Path file, EnvSettings env, List<ConfigProblem> problems) {
    this.file = file;
    this.env = env;
    this.problems = problems;
  }

  /** The config, or null when there were problems (all of them recorded). */
  IntegrityConfig bind(YamlNode root) {
    int before = problems.size();
    MapNode top = map(root, "");
    if (top == null) {
      return null;
    }
    onlyKeys(top, "", TOP_KEYS);
    AirtableConfig airtable = airtable(top);
    Map<String, EntityConfig> entities = entities(top);
    List<ScheduleConfig> schedules = schedules(top, entities.keySet());
    AlertsConfig alerts = alerts(top);
    if (problems.size() > before || airtable == null) {
      return null;
    }
    return new IntegrityConfig(file, airtable, entities, schedules, alerts, env.limits());
  }

  // ---- airtable -------------------------------------------------------------------------------

  private AirtableConfig airtable(MapNode top) {
    MapNode section = requiredMap(top, "airtable", "");
    if (section == null) {
      if (env.airtableToken() == null) {
        problem(top, "airtable.token", "no Airtable token: set AIRTABLE_TOKEN or airtable.token");
      }
      return null;
    }
    onlyKeys(section, "airtable", List.of("baseId", "token", "baseUrl"));
    String baseId = requiredString(section, "baseId", "airtable");
    if (baseId != null && !BASE_ID.matcher(baseId).matches()) {
      problem(
          value(section, "baseId"),
          "airtable.baseId",
          "baseId must be letters and digits (like appXXXXXXXXXXXXXX), got '"
              + Text.shorten(baseId, 40)
              + "'");
      baseId = null;
    }
    Secret token = env.airtableToken();
    if (token == null) {
      YamlNode node = value(section, "token");
      if (node == null) {
        problem(
            section, "airtable.token", "no Airtable token: set AIRTABLE_TOKEN or airtable.token");
      } else {
        String text = string(node, "airtable.token");
        token = text == null ? null : Secret.ofNullable(text);
        if (text != null && token == null) {
          problem(node, "airtable.token", "the Airtable token is empty");
        }
      }
    }
    URI baseUrl = env.airtableBaseUrl();
    if (baseUrl == null) {
      String text = optionalString(section, "baseUrl", "airtable");
      if (text == null) {
        baseUrl = EnvSettings.DEFAULT_AIRTABLE_BASE_URL;
      } else {
        baseUrl = Urls.httpUri(text);
        if (baseUrl == null) {
          problem(
              value(section, "baseUrl"),
              "airtable.baseUrl",
              "baseUrl must be an http(s) URL with a host, got '" + Text.shorten(text, 80) + "'");
        }
      }
    }
    if (baseId == null || token == null || baseUrl == null) {
      return null;
    }
    return new AirtableConfig(baseId, token, baseUrl);
  }

  // ---- entities and checks --------------------------------------------------------------------

  private Map<String, EntityConfig> entities(MapNode top) {
    Map<String, EntityConfig> result = new LinkedHashMap<>();
    MapNode section = requiredMap(top, "entities", "");
    if (section == null) {
      return result;
    }
    if (section.entries().isEmpty()) {
      problem(section, "entities", "no entities: name at least one table to check");
      return result;
    }
    Set<String> names = section.entries().keySet();
    for (Entry entry : section.entries().values()) {
      String name = entry.key();
      String path = "entities." + name;
      if (!ENTITY_NAME.matcher(name).matches()) {
        problem(
            entry.line(),
            entry.column(),
            path,
            "entity name '"
                + name
                + "' must be letters, digits, '_', '-' or '.' (it is used in --entities a,b)");
      }
      MapNode body = map(entry.value(), path);
      if (body == null) {
        continue;
      }
      onlyKeys(body, path, List.of("table", "view", "filter", "fields", "checks"));
      String table = requiredString(body, "table", path);
      String view = optionalString(body, "view", path);
      String filter = optionalString(body, "filter", path);
      Boolean allFields = allFields(body, path);
      List<CheckSpec> checks = checks(body, path, names);
      if (table != null && allFields != null) {
        result.put(name, new EntityConfig(name, table, checks, view, filter, allFields));
      }
    }
    return result;
  }

  /**
   * {@code fields: all} asks for every field; absent, a run asks only for the fields its checks
   * name. Only {@code all} is accepted: a list of fields here would compete with the checks.
   */
  private Boolean allFields(MapNode entity, String entityPath) {
    YamlNode node = value(entity, "fields");
    if (node == null) {
      return false;
    }
    String path = entityPath + ".fields";
    String text = string(node, path);
    if (text == null) {
      return null;
    }
    if (!text.trim().equals("all")) {
      problem(
          node,
          path,
          "fields takes only 'all' (every field of the table), got '"
              + Text.shorten(text, 40)
              + "'; without it a run asks for the fields its checks name");
      return null;
    }
    return true;
  }

  private List<CheckSpec> checks(MapNode entity, String entityPath, Set<String> entityNames) {
    YamlNode node = value(entity, "checks");
    String path = entityPath + ".checks";
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof ListNode list)) {
      problem(node, path, "checks must be a list, got " + YamlNode.describe(node));
      return List.of();
    }
    List<CheckSpec> checks = new ArrayList<>();
    Map<String, CheckSpec> byId = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String itemPath = path + "[" + i + "]";
      CheckSpec check = check(list.items().get(i), itemPath, entityNames);
      if (check == null) {
        continue;
      }
      CheckSpec earlier = byId.putIfAbsent(check.id(), check);
      if (earlier != null) {
        problem(
            check.location().line(),
            check.location().column(),
            itemPath,
            "duplicate check id '"
                + check.id()
                + "' (also at line "
                + earlier.location().line()
                + "); give one of them an explicit id");
        continue;
      }
      checks.add(check);
    }
    return checks;
  }

  /** One option of a check: its value and where the value was written. */
  private record Option(YamlNode value, String path) {}

  private CheckSpec check(YamlNode node, String path, Set<String> entityNames) {
    if (!(node instanceof MapNode item)) {
      problem(
          node,
          path,
          "a check is a mapping such as {required: [Name]}, got " + YamlNode.describe(node));
      return null;
    }
    List<Entry> typeEntries =
        item.entries().values().stream().filter(e -> OPTIONS.containsKey(e.key())).toList();
    if (typeEntries.isEmpty()) {
      Entry unknown =
          item.entries().values().stream()
              .filter(e -> !COMMON_OPTIONS.contains(e.key()) && !isAnyOption(e.key()))
              .findFirst()
              .orElse(null);
      if (unknown != null) {
        problem(
            unknown.line(),
            unknown.column(),
            path + "." + unknown.key(),
            "unknown check type '" + unknown.key() + "' (expected one of " + TYPES + ")");
      } else {
        problem(item, path, "check has no type (expected one of " + TYPES + ")");
      }
      return null;
    }
    if (typeEntries.size() > 1) {
      Entry second = typeEntries.get(1);
      problem(
          second.line(),
          second.column(),
          path + "." + second.key(),
          "one check per list item: found '"
              + typeEntries.get(0).key()
              + "' and '"
              + second.key()
              + "'");
      return null;
    }
    Entry typeEntry = typeEntries.getFirst();
    String type = typeEntry.key();
    String typePath = path + "." + type;
    List<String> allowed = new ArrayList<>(OPTIONS.get(type));
    allowed.addAll(COMMON_OPTIONS);

    Map<String, Option> options = new LinkedHashMap<>();
    boolean ok = true;
    for (Entry e : item.entries().values()) {
      if (e != typeEntry) {
        ok &= addOption(options, e, path + "." + e.key(), type, allowed);
      }
    }
    YamlNode typeValue = typeEntry.value();
    if (typeValue instanceof MapNode inner) {
      for (Entry e : inner.entries().values()) {
        ok &= addOption(options, e, typePath + "." + e.key(), type, allowed);
      }
    } else if (!(typeValue instanceof ScalarNode s && s.isNull())) {
      options.put(PRIMARY.get(type), new Option(typeValue, typePath));
    }
    if (!ok) {
      return null;
    }
    Location location = new Location(file, item.line(), item.column(), path);
    String id = optionString(options, "id");
    Severity severity = severity(options.get("severity"));
    try {
      return switch (type) {
        case "required" -> {
          List<String> fields = fieldList(options, "fields", item, path);
          yield fields == null ? null : new CheckSpec.Required(fields, id, severity, location);
        }
        case "unique" -> {
          List<String> fields = fieldList(options, "fields", item, path);
          Boolean normalize = bool(options.get("normalize"), false);
          yield fields == null || normalize == null
              ? null
              : new CheckSpec.Unique(fields, normalize, id, severity, location);
        }
        case "allowed" -> allowed(options, item, path, id, severity, location);
        case "pattern" -> pattern(options, item, path, id, severity, location);
        case "format" -> format(options, item, path, id, severity, location);
        case "range" -> range(options, item, path, id, severity, location);
        case "link" -> link(options, item, path, id, severity, location, entityNames);
        case "rule" -> rule(options, item, path, id, severity, location);
        default -> throw new IllegalStateException("unhandled check type " + type);
      };
    } catch (IllegalArgumentException e) {
      problem(item, path, e.getMessage());
      return null;
    }
  }

  private boolean addOption(
      Map<String, Option> options, Entry e, String path, String type, List<String> allowed) {
    if (!allowed.contains(e.key())) {
      problem(
          e.line(),
          e.column(),
          path,
          "unknown option '" + e.key() + "' for a " + type + " check (expected " + allowed + ")");
      return false;
    }
    if (options.containsKey(e.key())) {
      problem(e.line(), e.column(), path, "option '" + e.key() + "' is given twice");
      return false;
    }
    if (e.value() instanceof ScalarNode s && s.isNull()) {
      return true;
    }
    options.put(e.key(), new Option(e.value(), path));
    return true;
  }

  private static boolean isAnyOption(String key) {
    return OPTIONS.values().stream().anyMatch(list -> list.contains(key));
  }

  private CheckSpec allowed(
      Map<String, Option> o,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location) {
    String field = requiredField(o, "field", item, path);
    Option valuesOption = o.get("values");
    List<String> values = null;
    if (valuesOption == null) {
      problem(item, path, "missing option 'values' (the allowed values)");
    } else {
      values = stringList(valuesOption.value(), valuesOption.path());
      if (values != null && values.isEmpty()) {
        problem(valuesOption.value(), valuesOption.path(), "values must name at least one value");
        values = null;
      }
    }
    return field == null || values == null
        ? null
        : new CheckSpec.Allowed(field, values, id, severity, location);
  }

  private CheckSpec pattern(
      Map<String, Option> o,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location) {
    String field = requiredField(o, "field", item, path);
    String regex = requiredOption(o, "regex", item, path);
    if (regex != null) {
      try {
        com.google.re2j.Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        problem(o.get("regex").value(), o.get("regex").path(), "bad regex: " + e.getMessage());
        regex = null;
      }
    }
    return field == null || regex == null
        ? null
        : new CheckSpec.Pattern(field, regex, id, severity, location);
  }

  private CheckSpec format(
      Map<String, Option> o,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location) {
    String field = requiredField(o, "field", item, path);
    String as = requiredOption(o, "as", item, path);
    CheckSpec.Format.Kind kind = null;
    if (as != null) {
      try {
        kind = CheckSpec.Format.Kind.valueOf(as.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problem(
            o.get("as").value(),
            o.get("as").path(),
            "format must be email, url, phone or date, got '" + Text.shorten(as, 40) + "'");
      }
    }
    return field == null || kind == null
        ? null
        : new CheckSpec.Format(field, kind, id, severity, location);
  }

  private CheckSpec range(
      Map<String, Option> o,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location) {
    String field = requiredField(o, "field", item, path);
    Option minOption = o.get("min");
    Option maxOption = o.get("max");
    if (minOption == null && maxOption == null) {
      problem(item, path, "range needs min, max or both");
      return null;
    }
    boolean ok = true;
    CheckSpec.Range.Bound min = null;
    CheckSpec.Range.Bound max = null;
    if (minOption != null) {
      min = bound(minOption);
      ok &= min != null;
    }
    if (maxOption != null) {
      max = bound(maxOption);
      ok &= max != null;
    }
    if (!ok || field == null) {
      return null;
    }
    if (min != null && max != null) {
      if (min.getClass() != max.getClass()) {
        problem(maxOption.value(), maxOption.path(), "min and max must both be numbers or dates");
        return null;
      }
      int order =
          switch (min) {
            case CheckSpec.Range.Bound.Number n ->
                n.value().compareTo(((CheckSpec.Range.Bound.Number) max).value());
            case CheckSpec.Range.Bound.Date d ->
                d.value().compareTo(((CheckSpec.Range.Bound.Date) max).value());
          };
      if (order > 0) {
        problem(maxOption.value(), maxOption.path(), "max " + max + " is below min " + min);
        return null;
      }
    }
    return new CheckSpec.Range(field, min, max, id, severity, location);
  }

  private CheckSpec.Range.Bound bound(Option option) {
    String text = string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    String trimmed = text.trim();
    try {
      return new CheckSpec.Range.Bound.Number(new BigDecimal(trimmed));
    } catch (NumberFormatException e) {
      // not a number: maybe a date
    }
    try {
      return new CheckSpec.Range.Bound.Date(LocalDate.parse(trimmed));
    } catch (DateTimeException e) {
      problem(
          option.value(),
          option.path(),
          "must be a number or an ISO date (YYYY-MM-DD), got '" + Text.shorten(text, 40) + "'");
      return null;
    }
  }

  private CheckSpec link(
      Map<String, Option> o,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location,
      Set<String> entityNames) {
    String field = requiredField(o, "field", item, path);
    String to = requiredOption(o, "to", item, path);
    if (to != null && !entityNames.contains(to)) {
      problem(
          o.get("to").value(),
          o.get("to").path(),
          "link.to names unknown entity '" + to + "' (the config defines " + entityNames + ")");
      to = null;
    }
    Integer min = count(o.get("min"), 0, 0);
    Integer max = count(o.get("max"), CheckSpec.Link.UNBOUNDED, 0);
    if (min != null && max != null && max < min) {
      problem(o.get("max").value(), o.get("max").path(), "max " + max + " is below min " + min);
      return null;
    }
    return field == null || to == null || min == null || max == null
        ? null
        : new CheckSpec.Link(field, to, min, max, id, severity, location);
  }

  private CheckSpec rule(
      Map<String, Option> o,
      MapNode item,
      String path,
      String id,
      Severity severity,
      Location location) {
    String name = requiredOption(o, "name", item, path);
    String expr = requiredOption(o, "expr", item, path);
    if (expr != null) {
      String error = RuleLanguage.compileError(expr);
      if (error != null) {
        problem(o.get("expr").value(), o.get("expr").path(), error);
        expr = null;
      }
    }
    return name == null || expr == null
        ? null
        : new CheckSpec.Rule(name, expr, id, severity, location);
  }

  private String requiredOption(Map<String, Option> o, String key, MapNode item, String path) {
    Option option = o.get(key);
    if (option == null) {
      problem(item, path, "missing option '" + key + "'");
      return null;
    }
    String text = string(option.value(), option.path());
    if (text != null && text.isBlank()) {
      problem(option.value(), option.path(), key + " is empty");
      return null;
    }
    return text;
  }

  private String requiredField(Map<String, Option> o, String key, MapNode item, String path) {
    return requiredOption(o, key, item, path);
  }

  private List<String> fieldList(Map<String, Option> o, String key, MapNode item, String path) {
    Option option = o.get(key);
    if (option == null) {
      problem(item, path, "missing option '" + key + "' (the fields to check)");
      return null;
    }
    List<String> fields = stringList(option.value(), option.path());
    if (fields == null) {
      return null;
    }
    if (fields.isEmpty() || fields.stream().anyMatch(String::isBlank)) {
      problem(option.value(), option.path(), "name at least one field, and no empty field names");
      return null;
    }
    if (new LinkedHashSet<>(fields).size() != fields.size()) {
      problem(option.value(), option.path(), "a field is named twice");
      return null;
    }
    return fields;
  }

  private String optionString(Map<String, Option> o, String key) {
    Option option = o.get(key);
    if (option == null) {
      return null;
    }
    String text = string(option.value(), option.path());
    if (text != null && text.isBlank()) {
      problem(option.value(), option.path(), key + " is empty");
      return null;
    }
    return text == null ? null : text.trim();
  }

  private Severity severity(Option option) {
    if (option == null) {
      return Severity.FAIL;
    }
    String text = string(option.value(), option.path());
    if (text == null) {
      return Severity.FAIL;
    }
    Severity severity = Severity.fromWire(text);
    if (severity == null) {
      problem(
          option.value(),
          option.path(),
          "severity must be fail or warn, got '" + Text.shorten(text, 40) + "'");
      return Severity.FAIL;
    }
    return severity;
  }

  // ---- schedules ------------------------------------------------------------------------------

  private List<ScheduleConfig> schedules(MapNode top, Set<String> entityNames) {
    YamlNode node = value(top, "schedules");
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof ListNode list)) {
      problem(node, "schedules", "schedules must be a list, got " + YamlNode.describe(node));
      return List.of();
    }
    List<ScheduleConfig> result = new ArrayList<>();
    Map<String, Integer> lineByName = new HashMap<>();
    for (int i = 0; i < list.items().size(); i++) {
      String path = "schedules[" + i + "]";
      MapNode item = map(list.items().get(i), path);
      if (item == null) {
        continue;
      }
      onlyKeys(item, path, List.of("name", "cron", "timezone", "entities", "mode"));
      boolean incremental = false;
      String modeText = optionalString(item, "mode", path);
      if (modeText != null) {
        switch (modeText.trim()) {
          case "full" -> incremental = false;
          case "incremental" -> incremental = true;
          default ->
              problem(
                  value(item, "mode"),
                  path + ".mode",
                  "unknown mode '" + Text.shorten(modeText, 40) + "' (use full or incremental)");
        }
      }
      String name = requiredString(item, "name", path);
      if (name != null) {
        Integer earlier = lineByName.putIfAbsent(name, item.line());
        if (earlier != null) {
          problem(
              value(item, "name"),
              path + ".name",
              "duplicate schedule name '" + name + "' (also at line " + earlier + ")");
          name = null;
        }
      }
      ZoneId zone = ZoneOffset.UTC;
      String zoneText = optionalString(item, "timezone", path);
      if (zoneText != null) {
        try {
          zone = ZoneId.of(zoneText.trim());
        } catch (DateTimeException e) {
          problem(
              value(item, "timezone"),
              path + ".timezone",
              "unknown time zone '"
                  + Text.shorten(zoneText, 40)
                  + "' (use a region id like Europe/Berlin or UTC)");
          zone = null;
        }
      }
      String cron = requiredString(item, "cron", path);
      if (cron != null && !validCron(cron, value(item, "cron"), path + ".cron")) {
        cron = null;
      }
      List<String> entities = List.copyOf(entityNames);
      YamlNode entitiesNode = value(item, "entities");
      if (entitiesNode != null) {
        entities = stringList(entitiesNode, path + ".entities");
        if (entities != null) {
          for (String entity : entities) {
            if (!entityNames.contains(entity)) {
              problem(
                  entitiesNode,
                  path + ".entities",
                  "schedule names unknown entity '"
                      + entity
                      + "' (the config defines "
                      + entityNames
                      + ")");
              entities = null;
              break;
            }
          }
        }
        if (entities != null && entities.isEmpty()) {
          problem(entitiesNode, path + ".entities", "name at least one entity, or leave it out");
          entities = null;
        }
      }
      if (name != null && cron != null && zone != null && entities != null) {
        result.add(new ScheduleConfig(name, cron.trim(), zone, entities, incremental));
      }
    }
    return result;
  }

  private boolean validCron(String cron, YamlNode node, String path) {
    String[] fields = cron.trim().split("\\s+");
    if (fields.length != 5) {
      problem(
          node,
          path,
          "cron must have 5 fields (minute hour day-of-month month day-of-week), got "
              + fields.length
              + " in '"
              + Text.shorten(cron, 60)
              + "'");
      return false;
    }
    try {
      // db-scheduler parses the pattern eagerly; the zone does not affect validity.
      new CronSchedule("0 " + String.join(" ", fields), ZoneOffset.UTC);
      return true;
    } catch (RuntimeException e) {
      problem(
          node,
          path,
          "bad cron '"
              + Text.shorten(cron, 60)
              + "': "
              + Text.shorten(String.valueOf(e.getMessage()), 160));
      return false;
    }
  }

  // ---- alerts ---------------------------------------------------------------------------------

  private AlertsConfig alerts(MapNode top) {
    YamlNode node = value(top, "alerts");
    MapNode section = node == null ? null : map(node, "alerts");
    if (section != null) {
      onlyKeys(section, "alerts", List.of("slack", "webhook", "email", "onNewFailIssues"));
    }
    Secret slack = env.slackWebhookUrl();
    if (slack == null) {
      slack = secretUrl(section, "slack", "webhookUrl");
    } else {
      checkKeysOnly(section, "slack", List.of("webhookUrl"));
    }
    Secret webhook = env.alertWebhookUrl();
    if (webhook == null) {
      webhook = secretUrl(section, "webhook", "url");
    } else {
      checkKeysOnly(section, "webhook", List.of("url"));
    }
    EmailConfig email = email(section);
    Boolean onNewFail =
        section == null
            ? Boolean.FALSE
            : bool(
                value(section, "onNewFailIssues") == null
                    ? null
                    : new Option(value(section, "onNewFailIssues"), "alerts.onNewFailIssues"),
                false);
    return new AlertsConfig(slack, webhook, email, onNewFail != null && onNewFail);
  }

  private void checkKeysOnly(MapNode section, String key, List<String> keys) {
    if (section == null) {
      return;
    }
    YamlNode node = value(section, key);
    MapNode channel = node == null ? null : map(node, "alerts." + key);
    if (channel != null) {
      onlyKeys(channel, "alerts." + key, keys);
    }
  }

  private Secret secretUrl(MapNode section, String channelKey, String urlKey) {
    if (section == null) {
      return null;
    }
    YamlNode node = value(section, channelKey);
    if (node == null) {
      return null;
    }
    String path = "alerts." + channelKey;
    MapNode channel = map(node, path);
    if (channel == null) {
      return null;
    }
    onlyKeys(channel, path, List.of(urlKey));
    // An empty URL (e.g. ${SLACK_WEBHOOK_URL:-} with the variable unset) turns the channel off.
    String url = optionalString(channel, urlKey, path);
    if (url == null) {
      return null;
    }
    if (Urls.httpUri(url) == null) {
      problem(
          value(channel, urlKey),
          path + "." + urlKey,
          "must be an http(s) URL with a host (value not shown: secret)");
      return null;
    }
    return new Secret(url.trim());
  }

  private EmailConfig email(MapNode section) {
    YamlNode node = section == null ? null : value(section, "email");
    MapNode email = node == null ? null : map(node, "alerts.email");
    String path = "alerts.email";
    if (email != null) {
      onlyKeys(email, path, List.of("host", "port", "user", "password", "from", "to"));
    }
    String host = env.smtpHost() != null ? env.smtpHost() : optionalString(email, "host", path);
    if (host == null) {
      if (email != null && !email.entries().isEmpty()) {
        problem(email, path, "e-mail alerts need a host (alerts.email.host or SMTP_HOST)");
      }
      return null;
    }
    Integer port = env.smtpPort();
    if (port == null) {
      YamlNode portNode = email == null ? null : value(email, "port");
      port =
          portNode == null
              ? Integer.valueOf(25)
              : count(new Option(portNode, path + ".port"), 25, 1);
      if (port != null && port > 65535) {
        problem(portNode, path + ".port", "port must be from 1 to 65535");
        port = null;
      }
    }
    String user = env.smtpUser() != null ? env.smtpUser() : optionalString(email, "user", path);
    Secret password = env.smtpPassword();
    if (password == null) {
      String text = optionalString(email, "password", path);
      password = text == null ? null : Secret.ofNullable(text);
    }
    String from =
        env.alertEmailFrom() != null ? env.alertEmailFrom() : optionalString(email, "from", path);
    List<String> to = env.alertEmailTo();
    if (to.isEmpty() && email != null && value(email, "to") != null) {
      to = stringList(value(email, "to"), path + ".to");
    }
    if (from == null) {
      problem(
          email == null ? null : email,
          path + ".from",
          "e-mail alerts need a sender (alerts.email.from or ALERT_EMAIL_FROM)");
    }
    if (to == null || to.isEmpty()) {
      problem(
          email == null ? null : email,
          path + ".to",
          "e-mail alerts need recipients (alerts.email.to or ALERT_EMAIL_TO)");
    }
    if (port == null || from == null || to == null || to.isEmpty()) {
      return null;
    }
    return new EmailConfig(host, port, user, password, from, to);
  }

  // ---- typed access ---------------------------------------------------------------------------

  /** The value under key, or null when absent or written as null/empty. */
  private static YamlNode value(MapNode map, String key) {
    if (map == null) {
      return null;
    }
    Entry entry = map.entries().get(key);
    if (entry == null || (entry.value() instanceof ScalarNode s && s.isNull())) {
      return null;
    }
    return entry.value();
  }

  private MapNode map(YamlNode node, String path) {
    if (node instanceof MapNode m) {
      return m;
    }
    problem(node, path, "expected a mapping (key: value), got " + YamlNode.describe(node));
    return null;
  }

  private MapNode requiredMap(MapNode parent, String key, String parentPath) {
    YamlNode node = value(parent, key);
    if (node == null) {
      problem(parent, join(parentPath, key), "missing '" + key + "'");
      return null;
    }
    return map(node, join(parentPath, key));
  }

  private String requiredString(MapNode parent, String key, String parentPath) {
    YamlNode node = value(parent, key);
    if (node == null) {
      problem(parent, join(parentPath, key), "missing '" + key + "'");
      return null;
    }
    String text = string(node, join(parentPath, key));
    if (text != null && text.isBlank()) {
      problem(node, join(parentPath, key), "'" + key + "' is empty");
      return null;
    }
    return text;
  }

  private String optionalString(MapNode parent, String key, String parentPath) {
    YamlNode node = value(parent, key);
    if (node == null) {
      return null;
    }
    String text = string(node, join(parentPath, key));
    return text == null || text.isBlank() ? null : text;
  }

  /** Scalar text; null (with a problem recorded) for non-scalars and unset variables. */
  private String string(YamlNode node, String path) {
    if (!(node instanceof ScalarNode scalar)) {
      problem(node, path, "expected a single value, got " + YamlNode.describe(node));
      return null;
    }
    if (!scalar.unsetVariables().isEmpty()) {
      for (String variable : scalar.unsetVariables()) {
        problem(
            node,
            path,
            "environment variable "
                + variable
                + " is not set (write ${"
                + variable
                + ":-} to allow it to be empty)");
      }
      return null;
    }
    return scalar.text();
  }

  /** A scalar or a list of scalars, as a list of texts. */
  private List<String> stringList(YamlNode node, String path) {
    if (node instanceof ListNode list) {
      List<String> result = new ArrayList<>();
      boolean ok = true;
      for (int i = 0; i < list.items().size(); i++) {
        String text = string(list.items().get(i), path + "[" + i + "]");
        if (text == null) {
          ok = false;
        } else {
          result.add(text);
        }
      }
      return ok ? result : null;
    }
    String text = string(node, path);
    return text == null ? null : List.of(text);
  }

  private Boolean bool(Option option, boolean defaultValue) {
    if (option == null) {
      return defaultValue;
    }
    String text = string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> {
        problem(
            option.value(),
            option.path(),
            "expected true or false, got '" + Text.shorten(text, 40) + "'");
        yield null;
      }
    };
  }

  private Integer count(Option option, int defaultValue, int min) {
    if (option == null) {
      return defaultValue;
    }
    String text = string(option.value(), option.path());
    if (text == null) {
      return null;
    }
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problem(
        option.value(),
        option.path(),
        "expected a whole number of at least " + min + ", got '" + Text.shorten(text, 40) + "'");
    return null;
  }

  private void onlyKeys(MapNode map, String path, List<String> allowed) {
    for (Entry e : map.entries().values()) {
      if (!allowed.contains(e.key())) {
        problem(
            e.line(),
            e.column(),
            join(path, e.key()),
            "unknown key '" + e.key() + "' (expected one of " + allowed + ")");
      }
    }
  }

  private static String join(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  private void problem(YamlNode node, String path, String message) {
    problem(node == null ? 0 : node.line(), node == null ? 0 : node.column(), path, message);
  }

  private void problem(int line, int column, String path, String message) {
    problems.add(new ConfigProblem(file, line, column, path, message));
  }
}
