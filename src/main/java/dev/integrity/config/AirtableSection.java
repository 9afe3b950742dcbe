package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.airtable.AirtableSettings;
import dev.integrity.common.Texts;
import dev.integrity.config.YamlNode.MapNode;
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

  private final Binding b;
  private final Overrides env;

  AirtableSection(Binding b, Overrides env) {
    this.b = b;
    this.env = env;
  }

  /** The section, or null when it is missing or has a problem (recorded). */
  AirtableConfig bind(MapNode top) {
    MapNode section = b.requiredMap(top, "airtable", "");
    if (section == null) {
      if (env.airtableToken() == null) {
        b.problem(top, "airtable.token", "no Airtable token: set AIRTABLE_TOKEN or airtable.token");
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
      YamlNode node = Binding.value(section, "token");
      if (node == null) {
        b.problem(
            section, "airtable.token", "no Airtable token: set AIRTABLE_TOKEN or airtable.token");
      } else {
        String text = b.string(node, "airtable.token");
        token = text == null ? null : Secret.ofNullable(text);
        if (text != null && token == null) {
          b.problem(node, "airtable.token", "the Airtable token is empty");
        }
      }
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
}
