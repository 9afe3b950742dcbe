package dev.integrity.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a main class in a separate JVM on the test classpath, as a user or a cluster node would
 * run it: a real process the test can kill. Stateless.
 */
public final class ChildJvm {
  private ChildJvm() {}

  /**
   * @param jvmOptions extra options before the main class (e.g. system properties)
   * @param log where stdout and stderr go
   */
  public static Process start(
      Class<?> main, List<String> jvmOptions, Map<String, String> env, Path log, String... args)
      throws IOException {
    return start(main, jvmOptions, env, log, null, args);
  }

  /** Like the other, with stdout to {@code out} and stderr to {@code err} (null: into out). */
  public static Process start(
      Class<?> main,
      List<String> jvmOptions,
      Map<String, String> env,
      Path out,
      Path err,
      String... args)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile());
    if (err == null) {
      pb.redirectErrorStream(true);
    } else {
      pb.redirectError(err.toFile());
    }
    pb.environment().putAll(env);
    return pb.start();
  }
}
