package dev.integrity.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The mirror contract on SQLite, in a temp file. */
class SqliteMirrorTest extends MirrorContract {
  @TempDir static Path dir;

  @Override
  StoreSettings settings() {
    return StoreSettings.of("jdbc:sqlite:" + dir.resolve("mirror.db"));
  }
}
