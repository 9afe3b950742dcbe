package dev.integrity.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on SQLite: a temp file; the second store is another pool on that file. */
class SqliteStoreTest extends StoreContract {
  @TempDir static Path dir;

  @Override
  StoreSettings settings() {
    return StoreSettings.of("jdbc:sqlite:" + dir.resolve("store.db"));
  }
}
