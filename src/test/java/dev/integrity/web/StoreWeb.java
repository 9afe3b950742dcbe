package dev.integrity.web;

import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The fixture of the store-backed web tests: a real SQLite store, the web server over {@link
 * StoreBackend} on a free port, and an HTTP client to it. Close it after each test.
 */
final class StoreWeb implements AutoCloseable {
  final Store store;
  final WebServer server;
  final TestHttp http;

  StoreWeb(Path database, String baseId, Clock clock) {
    store = Store.open(StoreSettings.of("jdbc:sqlite:" + database), clock);
    server =
        new WebServer(new StoreBackend(store, baseId), WebSettings.defaults(clock).withPort(0))
            .start();
    http = new TestHttp(server.url());
  }

  @Override
  public void close() {
    http.close();
    server.close();
    store.close();
  }
}
