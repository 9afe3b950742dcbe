package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.Entry;
import dev.integrity.config.YamlNode.ListNode;
import dev.integrity.config.YamlNode.MapNode;
import dev.integrity.config.YamlNode.ScalarNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code entities} section: each entity's table, view, filter, fields and checks. A check item
 * is read here generically (its type keyword, its options inline or nested, {@code id} and {@code
 * severity}); what each type takes and builds is {@link CheckTypes}' table. Not thread-safe; one
 * per load.
 */
final class EntitiesSection {
  static final List<String> KEYS = List.of("table", "view", "filter", "fields", "checks", "owner");
  private static final Pattern EMAIL = Pattern.compile("[^@\\s,<>]+@[^@\\s,<>]+\\.[^@\\s,<>]+");
  private static final Pattern ENTITY_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private final Binding b;
  // Owners by name, as first written: a second entity naming the same owner must agree.
  private final Map<String, OwnerConfig> owners = new HashMap<>();

  EntitiesSection(Binding b) {
    this.b = b;
  }

  Map<String, EntityConfig> bind(MapNode top) {
    Map<String, EntityConfig> result = new LinkedHashMap<>();
    MapNode section = b.requiredMap(top, "entities", "");
    if (section == null) {
      return result;
    }
    if (section.entries().isEmpty()) {
      b.problem(section, "entities", "no entities: name at least one table to check");
      return result;
    }
    Set<String> names = section.entries().keySet();
    for (Entry entry : section.entries().values()) {
      String name = entry.key();
      String path = "entities." + name;
      if (!ENTITY_NAME.matcher(name).matches()) {
        b.problem(
            entry.line(),
            entry.column(),
            path,
            "entity name '"
                + name
                + "' must be letters, digits, '_', '-' or '.' (it is used in --entities a,b)");
      }
      MapNode body = b.map(entry.value(), path);
      if (body == null) {
        continue;
      }
      b.onlyKeys(body, path, KEYS);
      String table = b.requiredString(body, "table", path);
      String view = b.optionalString(body, "view", path);
      String filter = b.optionalString(body, "filter", path);
      Boolean allFields = allFields(body, path);
      List<CheckSpec> checks = checks(body, path, names);
      OwnerConfig owner = owner(body, path);
      if (table != null && allFields != null) {
        result.put(name, new EntityConfig(name, table, checks, view, filter, allFields, owner));
      }
    }
    return result;
  }

  /**
   * {@code owner: {name, slack: {webhookUrl}, email: [..], webhook: {url}}}: a name and at least
   * one channel. Webhook URLs are secrets: no message quotes them. Null when absent or wrong (the
   * problem recorded).
   */
  private OwnerConfig owner(MapNode entity, String entityPath) {
    YamlNode node = Binding.value(entity, "owner");
    if (node == null) {
      return null;
    }
    String path = entityPath + ".owner";
    MapNode owner = b.map(node, path);
    if (owner == null) {
      return null;
    }
    int before = b.problemCount();
    b.onlyKeys(owner, path, List.of("name", "slack", "email", "webhook"));
    String name = b.requiredString(owner, "name", path);
    Secret slack = secretUrl(owner, path, "slack", "webhookUrl");
    Secret webhook = secretUrl(owner, path, "webhook", "url");
    List<String> email = List.of();
    YamlNode emailNode = Binding.value(owner, "email");
    if (emailNode != null) {
      List<String> addresses = b.stringList(emailNode, path + ".email");
      if (addresses != null) {
        List<String> ok = new ArrayList<>();
        for (String address : addresses) {
          String trimmed = address.trim();
          if (trimmed.isEmpty()) {
            // An empty entry (e.g. ${OFFICE_MAIL:-} unset) is no recipient.
            continue;
          }
          if (!EMAIL.matcher(trimmed).matches()) {
            b.problem(
                emailNode,
                path + ".email",
                "'" + Texts.shorten(trimmed, 60) + "' is not an e-mail address");
          } else {
            ok.add(trimmed);
          }
        }
        email = ok;
      }
    }
    if (b.problemCount() > before || name == null) {
      return null;
    }
    if (slack == null && webhook == null && email.isEmpty()) {
      b.problem(
          owner,
          path,
          "owner '"
              + Texts.shorten(name, 60)
              + "' needs at least one channel: slack: {webhookUrl: ..}, email: [..] or"
              + " webhook: {url: ..}");
      return null;
    }
    OwnerConfig config =
        new OwnerConfig(
            name.trim(),
            slack,
            webhook,
            email,
            new Location(b.file(), owner.line(), owner.column(), path));
    OwnerConfig earlier = owners.putIfAbsent(config.name(), config);
    if (earlier != null && !earlier.sameChannels(config)) {
      b.problem(
          owner,
          path,
          "owner '"
              + Texts.shorten(config.name(), 60)
              + "' is also named at line "
              + earlier.location().line()
              + " with other channels; one owner name, one set of channels");
      return null;
    }
    return config;
  }

  /** An owner's {@code slack.webhookUrl} or {@code webhook.url}; never quoted in a message. */
  private Secret secretUrl(MapNode owner, String ownerPath, String channelKey, String urlKey) {
    YamlNode node = Binding.value(owner, channelKey);
    if (node == null) {
      return null;
    }
    String path = ownerPath + "." + channelKey;
    MapNode channel = b.map(node, path);
    if (channel == null) {
      return null;
    }
    b.onlyKeys(channel, path, List.of(urlKey));
    YamlNode urlNode = Binding.value(channel, urlKey);
    if (urlNode == null) {
      b.problem(channel, path + "." + urlKey, "missing '" + urlKey + "'");
      return null;
    }
    String url = b.string(urlNode, path + "." + urlKey);
    // An empty URL (e.g. ${STAFF_SLACK_URL:-} with the variable unset) turns the channel off.
    if (url == null || url.isBlank()) {
      return null;
    }
    if (Urls.httpUri(url) == null) {
      b.problem(
          urlNode,
          path + "." + urlKey,
          "must be an http(s) URL with a host (value not shown: secret)");
      return null;
    }
    return new Secret(url.trim());
  }

  /**
   * {@code fields: all} asks for every field; absent, a run asks only for the fields its checks
   * name. Only {@code all} is accepted: a list of fields here would compete with the checks.
   */
  private Boolean allFields(MapNode entity, String entityPath) {
    YamlNode node = Binding.value(entity, "fields");
    if (node == null) {
      return false;
    }
    String path = entityPath + ".fields";
    String text = b.string(node, path);
    if (text == null) {
      return null;
    }
    if (!text.trim().equals("all")) {
      b.problem(
          node,
          path,
          "fields takes only 'all' (every field of the table), got '"
              + Texts.shorten(text, 40)
              + "'; without it a run asks for the fields its checks name");
      return null;
    }
    return true;
  }

  private List<CheckSpec> checks(MapNode entity, String entityPath, Set<String> entityNames) {
    YamlNode node = Binding.value(entity, "checks");
    String path = entityPath + ".checks";
    if (node == null) {
      return List.of();
    }
    if (!(node instanceof ListNode list)) {
      b.problem(node, path, "checks must be a list, got " + YamlNode.describe(node));
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
        b.problem(
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
    for (ConfigProblem p : LinkedRules.problems(checks)) {
      b.problem(p.line(), p.column(), p.path(), p.message());
    }
    return checks;
  }

  private CheckSpec check(YamlNode node, String path, Set<String> entityNames) {
    if (!(node instanceof MapNode item)) {
      b.problem(
          node,
          path,
          "a check is a mapping such as {required: [Name]}, got " + YamlNode.describe(node));
      return null;
    }
    List<Entry> typeEntries =
        item.entries().values().stream().filter(e -> CheckTypes.byName(e.key()) != null).toList();
    if (typeEntries.isEmpty()) {
      Entry unknown =
          item.entries().values().stream()
              .filter(
                  e ->
                      !CheckTypes.COMMON_OPTIONS.contains(e.key())
                          && !CheckTypes.isAnyOption(e.key()))
              .findFirst()
              .orElse(null);
      if (unknown != null) {
        b.problem(
            unknown.line(),
            unknown.column(),
            path + "." + unknown.key(),
            "unknown check type '"
                + unknown.key()
                + "' (expected one of "
                + CheckTypes.NAMES
                + ")");
      } else {
        b.problem(item, path, "check has no type (expected one of " + CheckTypes.NAMES + ")");
      }
      return null;
    }
    if (typeEntries.size() > 1) {
      Entry second = typeEntries.get(1);
      b.problem(
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
    CheckTypes.Type type = CheckTypes.byName(typeEntry.key());
    String typePath = path + "." + type.name();
    List<String> allowed = new ArrayList<>(type.options());
    allowed.addAll(CheckTypes.COMMON_OPTIONS);

    Map<String, Option> options = new LinkedHashMap<>();
    boolean ok = true;
    for (Entry e : item.entries().values()) {
      if (e != typeEntry) {
        ok &= addOption(options, e, path + "." + e.key(), type.name(), allowed);
      }
    }
    YamlNode typeValue = typeEntry.value();
    if (typeValue instanceof MapNode inner) {
      for (Entry e : inner.entries().values()) {
        ok &= addOption(options, e, typePath + "." + e.key(), type.name(), allowed);
      }
    } else if (!(typeValue instanceof ScalarNode s && s.isNull())) {
      options.put(type.primary(), new Option(typeValue, typePath));
    }
    if (!ok) {
      return null;
    }
    Location location = new Location(b.file(), item.line(), item.column(), path);
    String id = optionString(options, "id");
    Severity severity = severity(options.get("severity"));
    try {
      return type.builder()
          .build(new CheckTypes.Input(b, options, item, path, id, severity, location, entityNames));
    } catch (IllegalArgumentException e) {
      b.problem(item, path, e.getMessage());
      return null;
    }
  }

  private boolean addOption(
      Map<String, Option> options, Entry e, String path, String type, List<String> allowed) {
    if (!allowed.contains(e.key())) {
      b.problem(
          e.line(),
          e.column(),
          path,
          "unknown option '" + e.key() + "' for a " + type + " check (expected " + allowed + ")");
      return false;
    }
    if (options.containsKey(e.key())) {
      b.problem(e.line(), e.column(), path, "option '" + e.key() + "' is given twice");
      return false;
    }
    if (e.value() instanceof ScalarNode s && s.isNull()) {
      return true;
    }
    options.put(e.key(), new Option(e.value(), path));
    return true;
  }

  private String optionString(Map<String, Option> o, String key) {
    Option option = o.get(key);
    if (option == null) {
      return null;
    }
    String text = b.string(option.value(), option.path());
    if (text != null && text.isBlank()) {
      b.problem(option.value(), option.path(), key + " is empty");
      return null;
    }
    return text == null ? null : text.trim();
  }

  private Severity severity(Option option) {
    if (option == null) {
      return Severity.FAIL;
    }
    String text = b.string(option.value(), option.path());
    if (text == null) {
      return Severity.FAIL;
    }
    Severity severity = Severity.fromWire(text);
    if (severity == null) {
      b.problem(
          option.value(),
          option.path(),
          "severity must be fail or warn, got '" + Texts.shorten(text, 40) + "'");
      return Severity.FAIL;
    }
    return severity;
  }
}
