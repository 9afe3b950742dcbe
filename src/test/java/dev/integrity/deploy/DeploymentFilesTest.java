package dev.integrity.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.integrity.config.ConfigLoader;
import dev.integrity.config.IntegrityConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Dockerfile, compose.yaml, Kubernetes manifests and systemd unit, as far as a machine without
 * Docker can test them: they parse, set only variables the contract names (those of {@code
 * .env.example}), and their command lines start the real program here.
 */
class DeploymentFilesTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final String MAIN = "dev.integrity.cli.Main";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(180);

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  /**
   * The variables of .env.example: the contract's, the two the README adds, and the launcher's
   * (JAVA_HOME, INTEGRITY_JAVA_OPTS), shown there commented out.
   */
  static Set<String> allowedVariables() throws IOException {
    Set<String> names = new LinkedHashSet<>();
    for (String line : Files.readAllLines(Path.of(".env.example"))) {
      Matcher m = Pattern.compile("^(?:# )?([A-Z][A-Z0-9_]*)=").matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    assertThat(names).contains("AIRTABLE_TOKEN", "INTEGRITY_API_TOKEN", "INTEGRITY_DB_URL");
    return names;
  }

  // ---- Dockerfile ------------------------------------------------------------------------------

  /** Instructions of a Dockerfile, continuation lines joined, comments dropped. */
  static List<String[]> dockerfile() throws IOException {
    List<String[]> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readAllLines(Path.of("Dockerfile"))) {
      if (current.isEmpty() && (line.isBlank() || line.trim().startsWith("#"))) {
        continue;
      }
      if (line.endsWith("\\")) {
        current.append(line, 0, line.length() - 1).append(' ');
        continue;
      }
      current.append(line);
      String text = current.toString().trim();
      current.setLength(0);
      int space = text.indexOf(' ');
      out.add(new String[] {text.substring(0, space).toUpperCase(), text.substring(space + 1)});
    }
    return out;
  }

  static List<String> instructions(String keyword) throws IOException {
    return dockerfile().stream().filter(i -> i[0].equals(keyword)).map(i -> i[1]).toList();
  }

  static List<String> execForm(String json) throws IOException {
    List<String> args = new ArrayList<>();
    JSON.readTree(json).forEach(n -> args.add(n.asText()));
    return args;
  }

  @Test
  void the_dockerfile_builds_with_the_wrapper_on_a_jdk_and_runs_on_a_jre_as_non_root()
      throws IOException {
    List<String> from = instructions("FROM");
    assertThat(from).hasSize(2);
    assertThat(from.get(0)).matches("eclipse-temurin:2[1-9]-jdk AS build");
    assertThat(from.get(1)).isEqualTo("eclipse-temurin:21-jre");
    assertThat(instructions("RUN")).anyMatch(r -> r.startsWith("./mvnw ") && r.contains("package"));
    List<String> user = instructions("USER");
    assertThat(user).hasSize(1);
    assertThat(user.get(0)).doesNotMatch("(root|0)(:.*)?");
    assertThat(instructions("VOLUME")).containsExactly("[\"/var/lib/integrity\"]");
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : instructions("ENV")) {
      for (String pair : e.trim().split("\\s+")) {
        String[] kv = pair.split("=", 2);
        env.put(kv[0], kv[1]);
      }
    }
    assertThat(allowedVariables()).containsAll(env.keySet());
    assertThat(env.get("INTEGRITY_DB_URL")).startsWith("jdbc:sqlite:/var/lib/integrity/");
    List<String> cmd = execForm(instructions("CMD").get(0));
    assertThat(cmd).startsWith("serve").containsSubsequence("--host", "0.0.0.0");
    assertThat(execForm(instructions("ENTRYPOINT").get(0)))
        .containsExactly("/opt/integrity/entrypoint.sh");
    assertThat(instructions("HEALTHCHECK").get(0)).contains("/healthz");
    assertThat(instructions("COPY")).anyMatch(c -> c.contains("/src/target/integrity.jar"));
  }

  /**
   * The image's ENTRYPOINT + CMD: its entrypoint script with a stand-in jar installed next to it,
   * as the Dockerfile installs them, and the config and port here.
   */
  private List<String> imageCommand(Path config, int port) throws IOException {
    Path opt = dir.resolve("opt/integrity");
    Installed.classpathJar(opt.resolve("integrity.jar"));
    Path script = Installed.copy(ImageEntrypointTest.ENTRYPOINT, opt.resolve("entrypoint.sh"));
    List<String> command = new ArrayList<>(List.of(script.toString()));
    List<String> cmd = execForm(instructions("CMD").get(0));
    for (String a : cmd) {
      command.add(
          a.equals("/etc/integrity/integrity.yml")
              ? config.toString()
              : a.equals("8080") ? Integer.toString(port) : a);
    }
    return command;
  }

  private Path config() throws IOException {
    Path config = dir.resolve("integrity.yml");
    Files.writeString(
        config,
        """
        airtable:
          baseId: appDeployTest0001
          token: ${AIRTABLE_TOKEN}
        entities:
          teachers:
            table: Teachers
            checks:
              - required: [Name]
        """);
    return config;
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("JAVA_HOME", Installed.javaHome());
    env.put("AIRTABLE_TOKEN", "pat-deploy-test");
    env.put("AIRTABLE_BASE_URL", "http://127.0.0.1:9");
    env.put("INTEGRITY_DB_URL", "jdbc:sqlite:" + dir.resolve("integrity.db"));
    return env;
  }

  private Process start(List<String> command, Map<String, String> env, Path workDir, String log)
      throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(log).toFile());
    pb.environment()
        .keySet()
        .removeIf(k -> k.startsWith("INTEGRITY_") || k.startsWith("AIRTABLE_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void the_image_command_line_serves_here_and_its_healthcheck_passes() throws Exception {
    int port = freePort();
    Path config = config();

    // Without the API token, serve on 0.0.0.0 refuses to start, naming the variable.
    Process refused = start(imageCommand(config, port), env(), dir, "refused.log");
    assertThat(refused.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(refused.exitValue()).isNotZero();
    assertThat(Files.readString(dir.resolve("refused.log"))).contains("INTEGRITY_API_TOKEN");

    Map<String, String> env = env();
    env.put("INTEGRITY_API_TOKEN", "deploy-test-api-token");
    Process serve = start(imageCommand(config, port), env, dir, "serve.log");
    List<String> health = new ArrayList<>(execFormOfHealthcheck());
    health.replaceAll(a -> a.replace("/127.0.0.1/8080", "/127.0.0.1/" + port));
    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .failFast("serve exited: " + dir.resolve("serve.log"), () -> !serve.isAlive())
        .until(() -> new ProcessBuilder(health).start().waitFor() == 0);
    assertThat(get("http://127.0.0.1:" + port + "/api/runs").statusCode())
        .as("the API needs the token")
        .isEqualTo(401);
  }

  private static List<String> execFormOfHealthcheck() throws IOException {
    String hc = instructions("HEALTHCHECK").get(0);
    return execForm(hc.substring(hc.indexOf("CMD ") + 4).trim());
  }

  private static HttpResponse<String> get(String url) throws Exception {
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      return client.send(
          HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  /** Runs {@code integrity <args> --help} in a child JVM: 0 only if picocli knows every option. */
  private int helpExit(List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN));
    command.addAll(args);
    command.add("--help");
    Process p = start(command, env(), dir, "help.log");
    assertThat(p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    return p.exitValue();
  }

  // ---- compose.yaml ----------------------------------------------------------------------------

  @Test
  void compose_has_postgres_two_serve_instances_and_the_simulator_with_secrets_from_an_env_file()
      throws Exception {
    JsonNode services = YAML.readTree(Path.of("compose.yaml").toFile()).get("services");
    assertThat(services.path("postgres").path("image").asText()).startsWith("postgres:");
    Set<String> allowed = allowedVariables();
    List<String> serving = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = services.fields(); it.hasNext(); ) {
      var service = it.next();
      JsonNode s = service.getValue();
      List<String> command = new ArrayList<>();
      s.path("command").forEach(c -> command.add(c.asText()));
      if (service.getKey().equals("postgres")) {
        continue;
      }
      assertThat(s.path("image").asText()).isEqualTo("integrity-runner:local");
      assertThat(helpExit(command)).as("%s: %s", service.getKey(), command).isZero();
      if (command.get(0).equals("serve")) {
        serving.add(service.getKey());
        assertThat(command).containsSubsequence("--host", "0.0.0.0");
        assertThat(s.path("env_file").asText()).isEqualTo(".env");
        s.path("environment").fieldNames().forEachRemaining(n -> assertThat(allowed).contains(n));
        assertThat(s.at("/environment/INTEGRITY_DB_URL").asText())
            .startsWith("jdbc:postgresql://postgres:");
        assertThat(s.at("/environment/AIRTABLE_BASE_URL").asText())
            .isEqualTo("http://127.0.0.1:8089");
        assertThat(s.path("network_mode").asText()).isEqualTo("service:airtable-sim");
      } else {
        assertThat(command).startsWith("simulate").containsSubsequence("--port", "8089");
      }
    }
    assertThat(serving).hasSize(2);
    assertThat(Files.exists(Path.of(".env.example"))).isTrue();
    assertThat(services.path("airtable-sim").path("ports").toString())
        .contains("8080:8080", "8081:8081");
  }

  // ---- Kubernetes ------------------------------------------------------------------------------

  private static Map<String, JsonNode> kubernetes() throws IOException {
    Map<String, JsonNode> byKind = new HashMap<>();
    try (var files = Files.list(Path.of("deploy/kubernetes"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        try (var docs =
            YAML.readValues(new YAMLFactory().createParser(f.toFile()), JsonNode.class)) {
          while (docs.hasNext()) {
            JsonNode doc = docs.next();
            assertThat(doc.path("apiVersion").isTextual()).as(f.toString()).isTrue();
            byKind.put(doc.get("kind").asText(), doc);
          }
        }
      }
    }
    return byKind;
  }

  @Test
  void the_kubernetes_manifests_run_two_hardened_replicas_probed_on_healthz_and_readyz()
      throws Exception {
    Map<String, JsonNode> k = kubernetes();
    assertThat(k).containsKeys("Deployment", "Service", "ConfigMap", "Secret");
    JsonNode deployment = k.get("Deployment");
    JsonNode pod = deployment.at("/spec/template/spec");
    JsonNode container = pod.at("/containers/0");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    assertThat(container.at("/resources/requests/memory").isTextual()).isTrue();
    assertThat(container.at("/resources/limits/memory").isTextual()).isTrue();
    assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
    assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();

    Map<String, String> mounts = new HashMap<>();
    container
        .path("volumeMounts")
        .forEach(m -> mounts.put(m.get("mountPath").asText(), m.get("name").asText()));
    Map<String, JsonNode> volumes = new HashMap<>();
    pod.path("volumes").forEach(v -> volumes.put(v.get("name").asText(), v));
    assertThat(volumes.get(mounts.get("/tmp")).has("emptyDir")).as("writable /tmp").isTrue();
    assertThat(volumes.get(mounts.get("/etc/integrity")).at("/configMap/name").asText())
        .isEqualTo(k.get("ConfigMap").at("/metadata/name").asText());
    assertThat(container.at("/envFrom/0/secretRef/name").asText())
        .isEqualTo(k.get("Secret").at("/metadata/name").asText());

    Set<String> allowed = allowedVariables();
    container.path("env").forEach(e -> assertThat(allowed).contains(e.get("name").asText()));
    k.get("Secret")
        .path("stringData")
        .fieldNames()
        .forEachRemaining(n -> assertThat(allowed).contains(n));
    assertThat(k.get("Service").at("/spec/selector"))
        .isEqualTo(deployment.at("/spec/template/metadata/labels"));

    List<String> args = new ArrayList<>();
    container.path("args").forEach(a -> args.add(a.asText()));
    assertThat(args).isEqualTo(execForm(instructions("CMD").get(0)));
    assertThat(helpExit(args)).isZero();

    // The ConfigMap's config is one the program loads.
    Path config = dir.resolve("configmap.yml");
    Files.writeString(config, k.get("ConfigMap").at("/data/integrity.yml").asText());
    IntegrityConfig loaded = ConfigLoader.load(config, Map.of("AIRTABLE_TOKEN", "pat-x"));
    assertThat(loaded.entities()).isNotEmpty();
    assertThat(loaded.schedules()).isNotEmpty();
  }

  // ---- systemd ---------------------------------------------------------------------------------

  /** A unit file: section -> key -> values (keys may repeat), as systemd reads it. */
  static Map<String, Map<String, List<String>>> unit(Path file) throws IOException {
    Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();
    Map<String, List<String>> current = null;
    int n = 0;
    for (String line : Files.readAllLines(file)) {
      n++;
      String t = line.trim();
      if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
        continue;
      }
      if (t.startsWith("[") && t.endsWith("]")) {
        current =
            sections.computeIfAbsent(t.substring(1, t.length() - 1), s -> new LinkedHashMap<>());
        continue;
      }
      int eq = t.indexOf('=');
      assertThat(current).as("%s:%d is inside a section", file, n).isNotNull();
      assertThat(eq).as("%s:%d is key=value", file, n).isPositive();
      current
          .computeIfAbsent(t.substring(0, eq).trim(), x -> new ArrayList<>())
          .add(t.substring(eq + 1).trim());
    }
    return sections;
  }

  @Test
  void the_systemd_unit_is_hardened_and_its_exec_start_serves_as_written() throws Exception {
    Map<String, Map<String, List<String>>> unit = unit(Path.of("deploy/systemd/integrity.service"));
    assertThat(unit).containsKeys("Unit", "Service", "Install");
    Map<String, List<String>> s = unit.get("Service");
    assertThat(s.get("DynamicUser")).containsExactly("yes");
    assertThat(s.get("ProtectSystem")).containsExactly("strict");
    assertThat(s.get("StateDirectory")).containsExactly("integrity");
    assertThat(s.get("Restart")).containsExactly("on-failure");
    assertThat(s.get("EnvironmentFile")).containsExactly("/etc/integrity/integrity.env");
    Set<String> allowed = allowedVariables();
    Map<String, String> env = new HashMap<>();
    for (String e : s.get("Environment")) {
      String[] kv = e.split("=", 2);
      assertThat(allowed).contains(kv[0]);
      env.put(kv[0], kv[1]);
    }

    // Install what the unit's comments install under /opt, then run ExecStart as written, with
    // /opt/integrity, /etc/integrity and /var/lib/integrity moved to temp dirs.
    Path unitFile = Path.of("deploy/systemd/integrity.service");
    Path opt = dir.resolve("opt/integrity");
    Map<String, String> installed = new LinkedHashMap<>();
    Matcher install =
        Pattern.compile("(?m)^#\\s+install -D -m \\d+ (\\S+) /opt/integrity/(\\S+)")
            .matcher(Files.readString(unitFile));
    while (install.find()) {
      String source = install.group(1);
      Path target = opt.resolve(install.group(2));
      installed.put("/opt/integrity/" + install.group(2), source);
      if (source.startsWith("target/")) {
        Installed.classpathJar(target);
      } else {
        assertThat(Path.of(source)).as("installed from the repository").exists();
        Installed.copy(source, target);
      }
    }
    Path etc = Files.createDirectories(dir.resolve("etc"));
    Path state = Files.createDirectories(dir.resolve("state"));
    Files.copy(config(), etc.resolve("integrity.yml"));
    // JAVA_HOME in the env file names the JDK, as the unit's comments say.
    Files.writeString(
        etc.resolve("integrity.env"),
        "AIRTABLE_TOKEN=pat-from-env-file\nJAVA_HOME=" + Installed.javaHome() + "\n");
    int port = freePort();
    List<String> command = new ArrayList<>();
    String[] words = s.get("ExecStart").get(0).split("\\s+");
    assertThat(words[0]).as("not a system java, which may be older than 21").doesNotEndWith("java");
    assertThat(installed.get(words[0])).as("ExecStart runs the launcher").isEqualTo("integrity");
    assertThat(installed).containsValue("target/integrity.jar");
    command.add(opt.resolve(words[0].substring("/opt/integrity/".length())).toString());
    for (int i = 1; i < words.length; i++) {
      command.add(
          words[i]
              .replace("/etc/integrity", etc.toString())
              .replace("/var/lib/integrity", state.toString())
              .replace("8080", Integer.toString(port)));
    }
    for (String line : Files.readAllLines(etc.resolve("integrity.env"))) {
      String[] kv = line.split("=", 2);
      env.put(kv[0], kv[1]);
    }
    env.replaceAll((key, v) -> v.replace("/var/lib/integrity", state.toString()));
    Process serve = start(command, env, state, "systemd.log");

    await()
        .atMost(START_TIMEOUT)
        .pollInterval(Duration.ofMillis(200))
        .failFast("serve exited: " + dir.resolve("systemd.log"), () -> !serve.isAlive())
        .ignoreExceptions()
        .until(() -> get("http://127.0.0.1:" + port + "/healthz").statusCode() == 200);
    assertThat(state.resolve("integrity.db")).as("the store is in the StateDirectory").exists();
    assertThat(Files.readString(dir.resolve("systemd.log"))).doesNotContain("pat-from-env-file");
  }
}
