package dev.integrity.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's entrypoint ({@code deploy/docker/entrypoint.sh}) run with bash, as the container runs
 * it: a container without its config stops at once with the contract's 64 and says what to mount,
 * instead of serving a stand-in. No Docker here, so no image is built.
 */
class ImageEntrypointTest {
  static final String ENTRYPOINT = "deploy/docker/entrypoint.sh";
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
  }

  private record Exit(int code, String output) {}

  private Exit run(Map<String, String> env, String... args) throws Exception {
    // No JDK and no jar: an attempt to start java fails loudly, not with 64.
    return runWithJdk(env, dir.resolve("no-jdk").toString(), args);
  }

  private Exit runWithJdk(Map<String, String> env, String javaHome, String... args)
      throws Exception {
    Path script = Installed.copy(ENTRYPOINT, dir.resolve("opt/integrity/entrypoint.sh"));
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    Path log = dir.resolve("entrypoint.log");
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("INTEGRITY_"));
    pb.environment().putAll(env);
    pb.environment().put("JAVA_HOME", javaHome);
    Process p = pb.start();
    processes.add(p);
    assertThat(p.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return new Exit(p.exitValue(), Files.readString(log));
  }

  @Test
  void serveWithoutItsConfigExitsWith64AndSaysWhatToMount() throws Exception {
    String config = dir.resolve("etc/integrity/integrity.yml").toString();
    Exit exit = run(Map.of(), "serve", "--config", config, "--host", "0.0.0.0", "--port", "8080");
    assertThat(exit.code()).isEqualTo(64);
    assertThat(exit.output())
        .contains("no config at " + config)
        .contains("-v \"$PWD/integrity.yml:" + config + ":ro\"")
        .contains("docker run")
        .contains("integrity-runner demo");
  }

  @Test
  void aDirectoryWhereTheConfigShouldBeIsNamedAsAMissingHostFile() throws Exception {
    // What `docker run -v` leaves when the host file does not exist.
    Path config = Files.createDirectories(dir.resolve("integrity.yml"));
    Exit exit = run(Map.of(), "run", "--config=" + config);
    assertThat(exit.code()).isEqualTo(64);
    assertThat(exit.output()).contains(config + " is a directory").contains("docker run");
  }

  @Test
  void theDemoIsAnExplicitCommandThatNeedsTheApiTokenToListenOnAllAddresses() throws Exception {
    Exit exit = run(Map.of(), "demo");
    assertThat(exit.code()).isEqualTo(64);
    assertThat(exit.output()).contains("-e INTEGRITY_API_TOKEN=").contains("integrity-runner demo");
  }

  @Test
  void theDemoWithTheTokenStartsTheProgramsDemoOnAllAddresses() throws Exception {
    Installed.classpathJar(dir.resolve("opt/integrity/integrity.jar"));
    // --help: picocli accepts every option given (--host among them) and exits 0 without a scan.
    Exit exit =
        runWithJdk(
            Map.of("INTEGRITY_API_TOKEN", "entrypoint-test"),
            Installed.javaHome(),
            "demo",
            "--help");
    assertThat(exit.code()).as(exit.output()).isZero();
    assertThat(exit.output()).contains("--host");
  }

  @Test
  void theImageCarriesNoConfigOfItsOwn() throws IOException {
    assertThat(DeploymentFilesTest.instructions("COPY"))
        .noneMatch(c -> c.contains("/etc/integrity"))
        .anyMatch(c -> c.endsWith(ENTRYPOINT + " /opt/integrity/entrypoint.sh"));
    assertThat(DeploymentFilesTest.execForm(DeploymentFilesTest.instructions("ENTRYPOINT").get(0)))
        .containsExactly("/opt/integrity/entrypoint.sh");
  }
}
