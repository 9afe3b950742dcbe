package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;

/** Serves the dashboard after the demo run, on loopback, until interrupted. */
final class DemoServer {
  private DemoServer() {}

  static int serve(CliContext ctx, IntegrityApp app, int port) {
    return Serving.untilInterrupted(ctx, app, Service.Options.of("127.0.0.1", port));
  }
}
