package dev.integrity.bench;

import dev.integrity.model.EntityCoverage;
import dev.integrity.model.EntityProgress;
import dev.integrity.model.IssueRow;
import dev.integrity.model.RunRecord;
import dev.integrity.model.RunStatus;
import dev.integrity.model.Trigger;
import dev.integrity.store.AckRepository;
import dev.integrity.store.IssueWriter;
import dev.integrity.store.Store;
import dev.integrity.store.StoreSettings;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * What acknowledgements cost the store: computing a run's states with none, with one check-wide
 * acknowledgement over every issue, and acknowledging a whole view record by record. A program, not
 * a test: it prints figures and asserts nothing.
 *
 * <p>Args: [issues per run, default 100000] [store URL, default a temporary SQLite file].
 */
public final class AckBenchmark {
  private static final String BASE = "appBENCHACKS00001";
  private static final String CHECK = "required-name";

  public static void main(String[] args) throws Exception {
    int issues = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    String url =
        args.length > 1
            ? args[1]
            : "jdbc:sqlite:" + Files.createTempDirectory("acks").resolve("b.db");
    try (Store store = Store.open(StoreSettings.of(url), Clock.systemUTC())) {
      String base = BASE + System.nanoTime() % 1000;
      run(store, base, issues, "no acknowledgement (first run)");
      run(store, base, issues, "no acknowledgement (second run)");
      store
          .acks()
          .create(
              new AckRepository.NewAck(base, "students", CHECK, null, null, "known", null, null));
      run(store, base, issues, "one check-wide acknowledgement over every issue");
      List<AckRepository.NewAck> slice = new ArrayList<>();
      for (int i = 0; i < Math.min(issues, 3_000); i++) {
        slice.add(
            new AckRepository.NewAck(
                base, "students", CHECK, "rec" + i, null, "known", null, null));
      }
      long t0 = System.nanoTime();
      store.acks().createAll(slice);
      System.out.printf(
          "acknowledge %,d issues record by record (one transaction): %d ms%n",
          slice.size(), (System.nanoTime() - t0) / 1_000_000);
      run(store, base, issues, "3,000 record acknowledgements and one check-wide");
      t0 = System.nanoTime();
      store.acks().covering();
      System.out.printf(
          "covering() over %,d acknowledgements: %d ms%n",
          store.acks().list(false).size(), (System.nanoTime() - t0) / 1_000_000);
    }
  }

  private static void run(Store store, String base, int issues, String label) {
    RunRecord run = store.runs().create(base, Trigger.MANUAL, null, List.of("students"));
    store.runs().claim(run.id(), "bench");
    store
        .runs()
        .saveEntities(run.id(), List.of(EntityProgress.pending(run.id(), "students", "Students")));
    try (IssueWriter writer = store.issues().writer(run.id())) {
      for (int i = 0; i < issues; i++) {
        writer.add(
            new IssueRow(
                run.id(),
                "students",
                "rec" + i,
                CHECK,
                "Name",
                "fail",
                "Name is empty",
                null,
                null));
      }
    }
    long t0 = System.nanoTime();
    store
        .issues()
        .computeStates(
            run.id(), base, List.of(EntityCoverage.complete("students", List.of(CHECK))));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    for (EntityProgress e : store.runs().entities(run.id())) {
      store.runs().updateEntity(e.checkedWith(issues));
    }
    store.runs().finish(run.id(), RunStatus.SUCCEEDED, null);
    System.out.printf(
        "computeStates, %,d issues, %s: %d ms (acknowledged %,d)%n",
        issues, label, ms, store.issues().summary(run.id()).acknowledged());
  }

  private AckBenchmark() {}
}
