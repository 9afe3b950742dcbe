package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;

/** Serves the dashboard after the demo run (wired once the web layer lands). */
final class DemoServer {
  private DemoServer() {}

  static int serve(CliContext ctx, IntegrityApp app, int port) {
    ctx.err().println("demo: the dashboard is not part of this build yet");
    return 0;
  }
}
