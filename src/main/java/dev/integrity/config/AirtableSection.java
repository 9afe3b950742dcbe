package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.MapNode;
import dev.integrity.config.YamlNode.ScalarNode;
import java.net.URI;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code airtable} section: base id, token and API root, each overridden by the environment.
 * Not thread-safe; one per load.
 */
final class AirtableSection {
  static final List<String> KEYS = List.of("baseId", "token", "baseUrl", "monthlyCallBudget");
  private static final Pattern BASE_ID = Pattern.compile("[A-Za-z0-9_-]+");

  private static final String NO_TOKEN = "no Airtable token: set AIRTABLE_TOKEN or airtable.token";

  private final Binding b;
  private final Overrides env;
  private final boolean tokenRequired;

  /**
   * @param tokenRequired false for offline {@code validate}, which sends nothing: a token that is
   *     not set reads as {@link AirtableConfig#NO_TOKEN} instead of a problem
   */
  AirtableSection(Binding b, Overrides env, boolean tokenRequired) {
    this.b = b;
    this.env = env;
    this.tokenRequired = tokenRequired;
  }

  /** The section, or null when it is missing or has a problem (recorded). */
  AirtableConfig bind(MapNode top) {
    MapNode section = b.requiredMap(top, "airtable", "");
    if (section == null) {
      if (env.airtableToken() == null && tokenRequired) {
        b.problem(top, "airtable.token", NO_TOKEN);
      }
      return null;
    }
    b.onlyKeys(section, "airtable", KEYS);
    String baseId = b.requiredString(section, "baseId", "airtable");
    if (baseId != null && !BASE_ID.matcher(baseId).matches()) {
      b.problem(
          Binding.value(section, "baseId"),
          "airtable.baseId",
          "baseId must be letters and digits (like appXXXXXXXXXXXXXX), got '"
              + Texts.shorten(baseId, 40)
              + "'");
      baseId = null;
    }
    Secret token = env.airtableToken();
    if (token == null) {
      token = fileToken(section);
    }
    URI baseUrl = env.airtableBaseUrl();
    if (baseUrl == null) {
      String text = b.optionalString(section, "baseUrl", "airtable");
      if (text == null) {
        baseUrl = AirtableSettings.DEFAULT_BASE_URL;
      } else {
        baseUrl = Urls.httpUri(text);
        if (baseUrl == null) {
          b.problem(
              Binding.value(section, "baseUrl"),
              "airtable.baseUrl",
              "baseUrl must be an http(s) URL with a host, got '" + Texts.shorten(text, 80) + "'");
        }
      }
    }
    CallBudget budget = CallBudget.none();
    YamlNode budgetNode = Binding.value(section, "monthlyCallBudget");
    if (budgetNode != null) {
      String text = b.string(budgetNode, "airtable.monthlyCallBudget");
      budget = null;
      if (text != null) {
        try {
          budget = CallBudget.parse(text);
        } catch (IllegalArgumentException e) {
          b.problem(budgetNode, "airtable.monthlyCallBudget", e.getMessage());
        }
      }
    }
    if (baseId == null || token == null || baseUrl == null || budget == null) {
      return null;
    }
    return new AirtableConfig(baseId, token, baseUrl, budget);
  }

  /**
   * The token the file names, or null (with a problem recorded). An unset variable gets its own
   * sentence: the generic one suggests {@code ${VAR:-}}, which for a token only trades one problem
   * for another.
   */
  private Secret fileToken(MapNode section) {
    YamlNode node = Binding.value(section, "token");
    if (node == null) {
      if (!tokenRequired) {
        return AirtableConfig.NO_TOKEN;
      }
      b.problem(section, "airtable.token", NO_TOKEN);
      return null;
    }
    if (node instanceof ScalarNode scalar && !scalar.unsetVariables().isEmpty()) {
      if (!tokenRequired) {
        return AirtableConfig.NO_TOKEN;
      }
      b.problem(
          node,
          "airtable.token",
          "environment variable "
              + String.join(", ", scalar.unsetVariables())
              + " is not set: the Airtable token is needed to read the base (validate --online,"
              + " run, serve); only offline validate does without it");
      return null;
    }
    String text = b.string(node, "airtable.token");
    Secret token = text == null ? null : Secret.ofNullable(text);
    if (text != null && token == null) {
      if (!tokenRequired) {
        return AirtableConfig.NO_TOKEN;
      }
      b.problem(node, "airtable.token", "the Airtable token is empty");
    }
    return token;
  }
}
