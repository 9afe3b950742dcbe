package dev.integrity.web;

import dev.integrity.run.RunReport;
import dev.integrity.store.AckFilter;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The issue filters the API, the run page and its CSV share ({@code entity}, {@code check}, {@code
 * severity}, {@code state}, with {@code only} as the old alias of {@code state}, {@code ack}:
 * {@code yes}, {@code no} or {@code all}, the default, and {@code owner}: the entities whose {@code
 * owner.name} it is in the config served for the run's base). A bad value is a 400 naming the
 * parameter and the allowed values. Immutable.
 *
 * @param owner the owner filtered to, or null; {@code query} holds its entities
 */
record IssueParams(IssueQuery query, String owner) {
  /** Filters without an owner. */
  IssueParams(IssueQuery query) {
    this(query, null);
  }

  static final List<String> SEVERITIES = List.of("fail", "warn");
  static final List<String> ONLY = List.of("new", "resolved", "all");
  static final List<String> ACKS = List.of("yes", "no", "all");

  /**
   * Reads and checks the filters; {@code entity} must be one of the run's entities, {@code owner}
   * one of the owners the backend knows for the run's base ({@link WebBackend#owners}).
   */
  static IssueParams of(Context ctx, RunReport run, WebBackend backend) {
    String entity = trimmed(ctx.queryParam("entity"));
    if (entity != null && run.entities() != null) {
      List<String> names = run.entities().stream().map(RunReport.EntityReport::name).toList();
      if (!names.contains(entity)) {
        throw notOneOf("entity", entity, names);
      }
    }
    String severity = trimmed(ctx.queryParam("severity"));
    if (severity != null && !SEVERITIES.contains(severity)) {
      throw notOneOf("severity", severity, SEVERITIES);
    }
    IssueFilter state = IssueFilter.OPEN;
    String stateParam = trimmed(ctx.queryParam("state"));
    String only = trimmed(ctx.queryParam("only"));
    if (stateParam != null) {
      state = parseState("state", stateParam);
    } else if (only != null) {
      if (!ONLY.contains(only)) {
        throw notOneOf("only", only, ONLY);
      }
      state = IssueFilter.parse(only);
    }
    String ack = trimmed(ctx.queryParam("ack"));
    if (ack != null && !ACKS.contains(ack)) {
      throw notOneOf("ack", ack, ACKS);
    }
    String owner = trimmed(ctx.queryParam("owner"));
    java.util.Set<String> owned = null;
    if (owner != null) {
      Map<String, String> owners = backend.owners(run.id());
      owned = new java.util.TreeSet<>();
      for (Map.Entry<String, String> e : owners.entrySet()) {
        if (e.getValue().equals(owner)) {
          owned.add(e.getKey());
        }
      }
      if (owned.isEmpty()) {
        List<String> known = owners.values().stream().distinct().sorted().toList();
        throw ApiException.badRequest(
            known.isEmpty()
                ? "owner: '" + owner + "': the config served for this run's base names no owner"
                : "owner: '" + owner + "' is not one of " + String.join(", ", known));
      }
    }
    return new IssueParams(
        new IssueQuery(entity, trimmed(ctx.queryParam("check")), severity, state)
            .withAck(AckFilter.parse(ack))
            .withEntities(owned),
        owner);
  }

  private static IssueFilter parseState(String name, String value) {
    for (IssueFilter f : IssueFilter.values()) {
      if (f.wire().equals(value)) {
        return f;
      }
    }
    throw notOneOf(
        name, value, java.util.Arrays.stream(IssueFilter.values()).map(IssueFilter::wire).toList());
  }

  private static ApiException notOneOf(String name, String value, List<String> allowed) {
    return ApiException.badRequest(
        name + ": '" + value + "' is not one of " + String.join(", ", allowed));
  }

  private static String trimmed(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }

  /** The filters as URL parameters (no leading {@code ?}); the default state is left out. */
  String queryString() {
    return parameters().entrySet().stream()
        .map(e -> e.getKey() + "=" + Formats.segment(e.getValue()))
        .collect(Collectors.joining("&"));
  }

  /** The filters that differ from the defaults, in a stable order. */
  Map<String, String> parameters() {
    Map<String, String> out = new LinkedHashMap<>();
    if (owner != null) {
      out.put("owner", owner);
    }
    if (query.entity() != null) {
      out.put("entity", query.entity());
    }
    if (query.check() != null) {
      out.put("check", query.check());
    }
    if (query.severity() != null) {
      out.put("severity", query.severity());
    }
    if (query.state() != IssueFilter.OPEN) {
      out.put("state", query.state().wire());
    }
    if (query.ack() != AckFilter.ALL) {
      out.put("ack", query.ack().wire());
    }
    return out;
  }

  /** These filters with one changed (null removes it); the owner's stays. */
  IssueParams with(String name, String value) {
    IssueQuery q = query;
    if (name.equals("ack")) {
      return new IssueParams(q.withAck(AckFilter.parse(value)), owner);
    }
    IssueQuery changed =
        switch (name) {
          case "entity" -> new IssueQuery(value, q.check(), q.severity(), q.state());
          case "check" -> new IssueQuery(q.entity(), value, q.severity(), q.state());
          case "severity" -> new IssueQuery(q.entity(), q.check(), value, q.state());
          case "state" ->
              new IssueQuery(
                  q.entity(),
                  q.check(),
                  q.severity(),
                  value == null ? IssueFilter.OPEN : IssueFilter.parse(value));
          default -> throw new IllegalArgumentException("no issue filter named " + name);
        };
    return new IssueParams(changed.withAck(q.ack()).withEntities(q.entities()), owner);
  }
}
