package dev.integrity.web;

import dev.integrity.model.Ack;
import dev.integrity.model.CheckCount;
import dev.integrity.model.IssueRow;
import dev.integrity.run.RunReport;
import dev.integrity.store.AckFilter;
import dev.integrity.store.IssueFilter;
import dev.integrity.store.IssueQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The view models of acknowledging (issue 22): the run page's controls (each issue's state and
 * "Acknowledge" form, "acknowledge all N in this view", "acknowledge every issue of this check")
 * and the Acknowledged page. Kept apart from {@link RunViews} so the run page's own view models
 * stay as they are; run.jte takes both. Plain values: the templates escape every one of them, and
 * the reasons people type are as untrusted as the text from Airtable. Thread-safe: it only reads
 * its final fields and the thread-safe backend.
 */
final class AckViews {
  /** More issues than this in one "acknowledge all" would be a slip of the filters. */
  static final int SLICE_CAP = 10_000;

  private final WebBackend backend;
  private final Clock clock;
  private final boolean tokenRequired;

  AckViews(WebBackend backend, Clock clock, boolean tokenRequired) {
    this.backend = backend;
    this.clock = clock;
    this.tokenRequired = tokenRequired;
  }

  /**
   * The run page's acknowledgement parts.
   *
   * @param action where the forms post: the run's acks path with the view's filters and page
   * @param showToken whether to show the API token field (the cancel button shows its own)
   * @param flash what the last action did, or null
   * @param rows each shown issue's acknowledgement state, by {@link #key}
   * @param acknowledged the acknowledged open issues per (entity, check, severity), by {@link #key}
   * @param slice "acknowledge all N in this view", or null when the view has none to acknowledge
   * @param check "acknowledge every issue of this check on this entity", or null unless the view is
   *     filtered to one entity and one check
   * @param appliedIn the runs where the last action's acknowledgements show (they change the latest
   *     run that checked their entity, not this one): empty unless this run is not that run
   */
  record RunAcks(
      String action,
      boolean showToken,
      String flash,
      Map<String, RowAck> rows,
      Map<String, Long> acknowledged,
      Slice slice,
      CheckWide check,
      List<Applied> appliedIn) {

    /** The state of one issue row of the page, or null for a row not on it. */
    RowAck row(String entity, String recordId, String check, String field) {
      return rows.get(key(entity, check, recordId, field));
    }

    /** The acknowledged open issues of one summary row. */
    long acknowledged(String entity, String check, String severity) {
      return acknowledged.getOrDefault(key(entity, check, severity, ""), 0L);
    }
  }

  /**
   * One issue's acknowledgement: {@code badge} when one covers it, else {@code open} tells whether
   * it can be acknowledged (open issues only).
   */
  record RowAck(Badge badge, boolean open) {}

  /**
   * The run where an acknowledgement made from another run's page shows (the latest that checked
   * its entity), and its link.
   */
  record Applied(String runId, String href) {}

  /** An acknowledgement in force over an issue: the reason, who and until when. */
  record Badge(String id, String reason, String by, Instant until, String title) {}

  /**
   * The issues of the view that an "acknowledge all" would acknowledge: the open ones no
   * acknowledgement covers yet.
   *
   * @param overCap more than {@link #SLICE_CAP}: refused, with a message saying so
   * @param filters the view's filters in words
   * @param confirm the question the browser asks before posting
   */
  record Slice(
      long count, String countText, boolean overCap, String cap, String filters, String confirm) {}

  /** One acknowledgement of every issue of a check on an entity. */
  record CheckWide(String entity, String check, long open, String confirm) {}

  /** The Acknowledged page. */
  record AcksPage(
      boolean ended, boolean tokenRequired, String flash, List<AckLine> rows, String otherHref) {}

  /**
   * One acknowledgement: what it covers, why, who, since, until, where it stands and how many open
   * issues it covers now ({@code covers} null once ended).
   */
  record AckLine(
      String id,
      String entity,
      String check,
      String record,
      String field,
      String base,
      String reason,
      String by,
      Instant since,
      Instant until,
      String status,
      Instant endedAt,
      Long covers,
      boolean revocable,
      String revokeUrl,
      String confirm) {}

  private static final java.time.format.DateTimeFormatter UNTIL =
      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT)
          .withZone(java.time.ZoneOffset.UTC);

  /**
   * When an acknowledgement stops covering, with its zone ("2027-01-01 00:00 UTC"): a date typed as
   * the end covers that whole day in UTC, so the end shows as the next midnight UTC, zone and all,
   * rather than in the browser's zone where it would read as another day.
   */
  static String until(Instant until) {
    return until == null ? null : UNTIL.format(until);
  }

  /** The key of an issue's fingerprint, or of a summary row (with an empty last part). */
  static String key(String entity, String check, String recordIdOrSeverity, String field) {
    return nz(entity)
        + '\u0000'
        + nz(check)
        + '\u0000'
        + nz(recordIdOrSeverity)
        + '\u0000'
        + nz(field);
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  /**
   * The run page's parts for this view.
   *
   * @param shown the issues shown on the page
   * @param counts the run's counts per check
   * @param appliedIn ids of the runs the last action's acknowledgements changed; this run's own id
   *     and ids of runs of another base (or unknown) are left out
   */
  RunAcks runAcks(
      RunReport run,
      IssueParams params,
      int limit,
      int offset,
      boolean cancelShown,
      List<IssueRow> shown,
      List<CheckCount> counts,
      String flash,
      List<String> appliedIn) {
    Map<String, RowAck> rows = new HashMap<>();
    for (IssueRow issue : shown) {
      Badge badge = null;
      if (issue.ack() != null) {
        Ack.AckRef a = issue.ack();
        badge =
            new Badge(
                a.id(),
                a.reason(),
                a.by(),
                a.until(),
                "acknowledged"
                    + (a.by() == null ? "" : " by " + a.by())
                    + (a.until() == null ? "" : " until " + until(a.until()))
                    + ": "
                    + a.reason());
      }
      rows.put(
          key(issue.entity(), issue.checkId(), issue.recordId(), issue.field()),
          new RowAck(badge, isOpen(issue.state())));
    }
    Map<String, Long> acknowledged = new LinkedHashMap<>();
    for (CheckCount c : counts) {
      acknowledged.merge(key(c.entity(), c.check(), c.severity(), ""), c.acknowledged(), Long::sum);
    }
    String query = params.queryString();
    String page = (offset > 0 ? "offset=" + offset + "&" : "") + "limit=" + limit;
    String action =
        "/runs/"
            + Formats.segment(run.id())
            + "/acks?"
            + (query.isEmpty() ? "" : query + "&")
            + page;
    return new RunAcks(
        action,
        tokenRequired && !cancelShown,
        flash,
        rows,
        acknowledged,
        slice(run, params, counts),
        checkWide(params, counts),
        applied(run, query, appliedIn));
  }

  /**
   * The runs, linked with the same view's filters, that are not this run and are of its base: an id
   * from the URL names nothing else (a hand-made link cannot point the notice elsewhere).
   */
  private List<Applied> applied(RunReport run, String query, List<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    Optional<String> base = backend.baseOfRun(run.id());
    List<Applied> out = new ArrayList<>();
    for (String id : new java.util.LinkedHashSet<>(ids)) {
      if (id.equals(run.id()) || base.isEmpty() || !base.equals(backend.baseOfRun(id))) {
        continue;
      }
      out.add(
          new Applied(
              id,
              "/runs/" + Formats.segment(id) + (query.isEmpty() ? "" : "?" + query) + "#issues"));
    }
    return out;
  }

  private static boolean isOpen(String state) {
    return state == null || IssueRow.NEW.equals(state) || IssueRow.PERSISTING.equals(state);
  }

  /**
   * The part of a view an "acknowledge all" acknowledges: its open issues that no acknowledgement
   * covers; empty when the view holds none (only resolved or retired, or only acknowledged ones).
   */
  static Optional<IssueQuery> eligible(IssueQuery q) {
    if (q.ack() == AckFilter.YES) {
      return Optional.empty();
    }
    IssueFilter state =
        switch (q.state()) {
          case NEW, PERSISTING, OPEN -> q.state();
          case ALL -> IssueFilter.OPEN;
          case RESOLVED, RETIRED -> null;
        };
    if (state == null) {
      return Optional.empty();
    }
    return Optional.of(
        new IssueQuery(q.entity(), q.check(), q.severity(), state)
            .withAck(AckFilter.NO)
            .withEntities(q.entities()));
  }

  /**
   * How many issues "acknowledge all" would acknowledge now: from the per-check counts for the open
   * issues (no scan), else by reading at most one more than the cap.
   */
  long eligibleCount(String runId, IssueQuery eligible, List<CheckCount> counts) {
    if (eligible.state() == IssueFilter.OPEN) {
      long n = 0;
      for (CheckCount c : counts) {
        if (eligible.includesEntity(c.entity())
            && (eligible.check() == null || eligible.check().equals(c.check()))
            && (eligible.severity() == null || eligible.severity().equals(c.severity()))) {
          n += c.open() - c.acknowledged();
        }
      }
      return n;
    }
    return backend.issues(runId, eligible, SLICE_CAP + 1, 0).size();
  }

  private Slice slice(RunReport run, IssueParams params, List<CheckCount> counts) {
    Optional<IssueQuery> eligible = eligible(params.query());
    if (eligible.isEmpty()) {
      return null;
    }
    long n = eligibleCount(run.id(), eligible.get(), counts);
    if (n <= 0) {
      return null;
    }
    String filters = describe(params);
    return new Slice(
        n,
        thousands(n),
        n > SLICE_CAP,
        thousands(SLICE_CAP),
        filters,
        "Acknowledge all "
            + thousands(n)
            + " open, unacknowledged issues in this view ("
            + filters
            + "), one acknowledgement per issue?");
  }

  static String thousands(long n) {
    return String.format(java.util.Locale.ROOT, "%,d", n);
  }

  private static CheckWide checkWide(IssueParams params, List<CheckCount> counts) {
    IssueQuery q = params.query();
    if (q.entity() == null || q.check() == null) {
      return null;
    }
    long open =
        counts.stream()
            .filter(c -> c.entity().equals(q.entity()) && c.check().equals(q.check()))
            .mapToLong(CheckCount::open)
            .sum();
    return new CheckWide(
        q.entity(),
        q.check(),
        open,
        "Acknowledge every issue of check "
            + q.check()
            + " on "
            + q.entity()
            + ", now ("
            + open
            + " open) and in later runs, with one acknowledgement?");
  }

  /**
   * The view's filters in words, e.g. "entity students, check required:Email, state open" or "owner
   * Staff office, every check, state new, not acknowledged".
   */
  static String describe(IssueParams params) {
    IssueQuery q = params.query();
    List<String> parts = new ArrayList<>();
    if (params.owner() != null) {
      parts.add("owner " + params.owner());
    }
    if (q.entity() != null || params.owner() == null) {
      parts.add(q.entity() == null ? "every entity" : "entity " + q.entity());
    }
    parts.add(q.check() == null ? "every check" : "check " + q.check());
    if (q.severity() != null) {
      parts.add("severity " + q.severity());
    }
    parts.add("state " + q.state().wire());
    if (q.ack() != AckFilter.ALL) {
      parts.add(q.ack() == AckFilter.YES ? "acknowledged" : "not acknowledged");
    }
    return String.join(", ", parts);
  }

  /** The Acknowledged page: those not ended, or every one. */
  AcksPage acksPage(boolean ended, String flash) {
    Instant now = clock.instant();
    Map<String, Long> covering = backend.ackCoverage();
    List<AckLine> rows = new ArrayList<>();
    for (Ack a : backend.acks(ended)) {
      Ack.Status status = a.status(now);
      boolean notEnded = a.endedAt() == null;
      rows.add(
          new AckLine(
              a.id(),
              a.entity(),
              a.checkId(),
              a.recordId() == null ? "every record" : a.recordId(),
              a.field() == null ? "any field" : a.field(),
              a.baseId() == null ? "any" : a.baseId(),
              a.reason(),
              a.by(),
              a.createdAt(),
              a.until(),
              status.wire(),
              a.endedAt(),
              notEnded ? covering.getOrDefault(a.id(), 0L) : null,
              notEnded,
              "/acks/" + Formats.segment(a.id()) + "/revoke" + (ended ? "?ended=1" : ""),
              "Revoke the acknowledgement of " + a.scope() + "? Its issues count again."));
    }
    return new AcksPage(ended, tokenRequired, flash, rows, ended ? "/acks" : "/acks?ended=1");
  }
}
