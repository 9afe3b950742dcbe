package dev.integrity.cli;

import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableException;
import dev.integrity.airtable.FetchControl;
import dev.integrity.app.IntegrityApp;
import dev.integrity.init.StarterConfig;
import dev.integrity.model.BaseSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code integrity init}: reads a base's schema through the Meta API and writes a starter config.
 * Exit codes: 0 written; 64 usage (bad base id, no token, the file exists without {@code --force});
 * 2 Airtable refused or failed (bad token, unknown base, no {@code schema.bases:read} scope,
 * network), each with one line on stderr giving the HTTP status, Airtable's error type and message,
 * and what to check.
 */
@Command(
    name = "init",
    mixinStandardHelpOptions = true,
    description = {
      "Write a starter integrity.yml from a base's schema (Meta API; scope schema.bases:read).",
      "Exit 0 written, 2 Airtable refused or failed, 64 usage (bad id, no token, file exists)."
    })
final class InitCommand implements Callable<Integer> {
  private static final Pattern BASE_ID = Pattern.compile("app[A-Za-z0-9]{14}");

  private final CliContext ctx;
  @Mixin DbOption db;

  @Option(names = "--base", required = true, paramLabel = "ID", description = "base id, app…")
  String base;

  @Option(names = "--out", paramLabel = "FILE", description = "write here (default: stdout)")
  Path out;

  @Option(names = "--force", description = "overwrite FILE if it exists")
  boolean force;

  InitCommand(CliContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    if (!BASE_ID.matcher(base).matches()) {
      return usage(
          "--base '"
              + base
              + "' is not an Airtable base id (app followed by 14 letters or digits, from the"
              + " base's URL)");
    }
    if (out != null && Files.exists(out) && !force) {
      return usage(out + " exists; pass --force to overwrite it");
    }
    IntegrityApp.Builder root = IntegrityApp.builder().settings(ctx.settings());
    if (ctx.settings().overrides().airtableToken() == null) {
      return usage(
          "no Airtable token: set AIRTABLE_TOKEN to a personal access token with the scope"
              + " schema.bases:read");
    }
    BaseSchema schema;
    try (AirtableClient client = root.client(null, null)) {
      schema = client.fetchSchema(base, FetchControl.create());
    } catch (AirtableException e) {
      // The client's message already says the status, Airtable's error type and message, where,
      // and what to check (for a 403 on the schema: the base id, the base, schema.bases:read).
      return remote(e.getMessage());
    }
    String yaml = StarterConfig.generate(schema);
    if (out == null) {
      ctx.out().print(yaml);
      ctx.out().flush();
      return ExitCode.OK;
    }
    try {
      write(yaml);
    } catch (FileAlreadyExistsException e) {
      return usage(out + " exists; pass --force to overwrite it");
    } catch (IOException e) {
      return usage("cannot write " + out + ": " + e.getMessage());
    }
    ctx.err()
        .printf(
            "integrity: wrote %s (%d entities from base %s); next: integrity validate --config %s"
                + " --online%n",
            out, schema.tables().size(), base, out);
    return ExitCode.OK;
  }

  /**
   * Without {@code --force} the file is created only if absent (a file that appeared since the
   * check is not overwritten); with it, a temp file is moved over the old one so a reader never
   * sees half a config.
   */
  private void write(String yaml) throws IOException {
    byte[] bytes = yaml.getBytes(StandardCharsets.UTF_8);
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (!force) {
      Files.write(out, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      return;
    }
    Path tmp = Files.createTempFile(parent, ".integrity-init-", ".yml");
    try {
      Files.write(tmp, bytes);
      Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private int usage(String message) {
    ctx.err().println("integrity: " + message);
    return ExitCode.USAGE;
  }

  private int remote(String message) {
    ctx.err().println("integrity: " + message);
    return ExitCode.ERROR;
  }
}
