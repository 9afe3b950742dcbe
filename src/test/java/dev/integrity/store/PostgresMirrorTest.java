package dev.integrity.store;

import dev.integrity.testing.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The mirror contract on PostgreSQL in a fresh schema; skipped, with the reason, without one. */
class PostgresMirrorTest extends MirrorContract {
  private static Postgres pg;

  @BeforeAll
  static void schema() {
    pg = Postgres.freshSchema("PostgresMirrorTest");
  }

  @AfterAll
  static void drop() {
    if (pg != null) {
      pg.close();
    }
  }

  @Override
  StoreSettings settings() {
    return pg.storeSettings();
  }
}
