package dev.integrity.sim;

import dev.integrity.Ticker;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The server side of list offsets: opaque tokens shaped like Airtable's ({@code itr…/rec…}) that
 * point at a position in one table and expire {@code ttl} after they were issued (the simulator's
 * Ticker). Expired entries are purged as new ones are issued. Thread-safe.
 */
final class OffsetStore {
  private static final Pattern SHAPE = Pattern.compile("itr[A-Za-z0-9]{14}/rec[A-Za-z0-9]{14}");
  private static final int PURGE_EVERY = 256;

  private final Duration ttl;
  private final Ticker ticker;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Cursor> cursors = new ConcurrentHashMap<>();
  private final AtomicLong issued = new AtomicLong();

  OffsetStore(Duration ttl, Ticker ticker) {
    this.ttl = ttl;
    this.ticker = ticker;
  }

  private record Cursor(String tableId, int position, long issuedNanos) {}

  /** What an offset sent by a client turned out to be. */
  sealed interface Lookup {}

  record Found(String tableId, int position) implements Lookup {}

  /** Well-formed but unknown or past its TTL: Airtable's LIST_RECORDS_ITERATOR_NOT_AVAILABLE. */
  record Expired() implements Lookup {}

  /** Not an offset this server could have issued: Airtable's INVALID_OFFSET_VALUE. */
  record Invalid() implements Lookup {}

  String issue(String tableId, int position, String nextRecordId) {
    long now = ticker.nanoTime();
    if (issued.incrementAndGet() % PURGE_EVERY == 0) {
      cursors.values().removeIf(c -> expired(c, now));
    }
    String token;
    do {
      token = Ids.random("itr", random) + "/" + nextRecordId;
    } while (cursors.putIfAbsent(token, new Cursor(tableId, position, now)) != null);
    return token;
  }

  Lookup find(String token) {
    Cursor c = cursors.get(token);
    if (c == null) {
      return SHAPE.matcher(token).matches() ? new Expired() : new Invalid();
    }
    return expired(c, ticker.nanoTime()) ? new Expired() : new Found(c.tableId(), c.position());
  }

  private boolean expired(Cursor c, long now) {
    return now - c.issuedNanos() >= ttl.toNanos();
  }
}
