package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;
import dev.integrity.app.Service;
import java.util.concurrent.CountDownLatch;

/** Runs the service until the process is interrupted, then stops it within its bounds. */
final class Serving {
  private Serving() {}

  static int untilInterrupted(CliContext ctx, IntegrityApp app) {
    Service service = app.serve();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              ctx.err().println("integrity: stopping...");
              app.close();
              stopped.countDown();
            },
            "integrity-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    ctx.out().printf("Dashboard and API on %s (Ctrl-C to stop)%n", service.url());
    ctx.out().flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      app.close();
    }
    return 0;
  }
}
