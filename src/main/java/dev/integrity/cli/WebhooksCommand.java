package dev.integrity.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.integrity.airtable.AirtableClient;
import dev.integrity.airtable.AirtableWebhooks;
import dev.integrity.airtable.FetchControl;
import dev.integrity.airtable.Webhook;
import dev.integrity.airtable.WebhookOutcome;
import dev.integrity.app.IntegrityApp;
import dev.integrity.common.JsonMapper;
import dev.integrity.config.IntegrityConfig;
import dev.integrity.store.WebhookState;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code integrity webhooks list|delete --config FILE [--id ID]}: for a person cleaning up the
 * webhooks of a base (Airtable allows 10 per base; incremental runs keep one).
 */
final class WebhooksCommand {
  private WebhooksCommand() {}

  @Command(
      name = "webhooks",
      mixinStandardHelpOptions = true,
      description = "List or delete the Airtable webhooks of a config's base.")
  static final class Group extends CommandGroup {}

  static CommandLine create(CliContext ctx) {
    CommandLine group = new CommandLine(new Group());
    group.addSubcommand(new ListHooks(ctx));
    group.addSubcommand(new DeleteHook(ctx));
    return group;
  }

  /** A config's base and a client for it, closed together. */
  private record Base(IntegrityConfig config, AirtableClient client, AirtableWebhooks webhooks)
      implements AutoCloseable {
    static Base open(CliContext ctx, Path file) {
      IntegrityApp.Builder root = IntegrityApp.builder().settings(ctx.settings()).config(file);
      IntegrityConfig config = root.configsLoaded().getFirst();
      AirtableClient client = root.client(config.airtable().baseUrl(), config.airtable().token());
      return new Base(config, client, new AirtableWebhooks(client, ctx.clock()));
    }

    String baseId() {
      return config.airtable().baseId();
    }

    @Override
    public void close() {
      client.close();
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "The base's webhooks; the one incremental runs use is marked.")
  static final class ListHooks implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Option(names = "--config", required = true, paramLabel = "FILE")
    Path config;

    @Option(names = "--format", defaultValue = "text", description = "text or json")
    Format format;

    ListHooks(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws JsonProcessingException {
      if (format == Format.CSV) {
        throw new Cli.UsageException("--format must be text or json");
      }
      try (Base base = Base.open(ctx, config)) {
        WebhookOutcome<List<Webhook>> listed =
            base.webhooks().list(base.baseId(), FetchControl.create());
        if (!(listed instanceof WebhookOutcome.Ok<List<Webhook>> ok)) {
          ctx.err().println("integrity: " + listed.reason());
          return ExitCode.ERROR;
        }
        String ours = remembered(ctx, db, base.baseId()).map(WebhookState::webhookId).orElse(null);
        if (format == Format.JSON) {
          List<Map<String, Object>> rows =
              ok.value().stream()
                  .map(
                      h -> {
                        Map<String, Object> row = new LinkedHashMap<>();
                        row.put("id", h.id());
                        row.put("enabled", h.enabled());
                        row.put("expirationTime", h.expirationTime());
                        row.put("cursorForNextPayload", h.cursorForNextPayload());
                        row.put("notificationUrl", h.notificationUrl());
                        row.put("usedByIntegrity", h.id().equals(ours));
                        return row;
                      })
                  .toList();
          ctx.out().println(JsonMapper.indented().writeValueAsString(rows));
          return 0;
        }
        ctx.out()
            .printf(
                "base %s: %d webhook(s) (Airtable allows 10)%n", base.baseId(), ok.value().size());
        for (Webhook h : ok.value()) {
          ctx.out()
              .printf(
                  "%s  %-8s  expires %s  next cursor %d%s%n",
                  h.id(),
                  h.enabled() ? "enabled" : "disabled",
                  h.expirationTime() == null ? "never" : h.expirationTime(),
                  h.cursorForNextPayload(),
                  h.id().equals(ours) ? "  (used by integrity's incremental runs)" : "");
        }
        return 0;
      }
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Deletes webhook --id, or without --id the one incremental runs use (the store's);"
              + " the next incremental run is then a full scan that creates a new one.")
  static final class DeleteHook implements Callable<Integer> {
    private final CliContext ctx;
    @Mixin DbOption db;

    @Option(names = "--config", required = true, paramLabel = "FILE")
    Path config;

    @Option(names = "--id", paramLabel = "ID", description = "the webhook id (ach…)")
    String id;

    DeleteHook(CliContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      try (Base base = Base.open(ctx, config)) {
        Optional<WebhookState> state = remembered(ctx, db, base.baseId());
        String target = id;
        if (target == null) {
          target =
              state
                  .map(WebhookState::webhookId)
                  .orElseThrow(
                      () ->
                          new Cli.UsageException(
                              "the store has no webhook for base "
                                  + base.baseId()
                                  + "; name one with --id (see 'integrity webhooks list')"));
        }
        WebhookOutcome<Boolean> deleted =
            base.webhooks().delete(base.baseId(), target, FetchControl.create());
        boolean gone = deleted instanceof WebhookOutcome.Gone<Boolean>;
        if (!(deleted instanceof WebhookOutcome.Ok<Boolean>) && !gone) {
          ctx.err().println("integrity: " + deleted.reason());
          return ExitCode.ERROR;
        }
        if (state.isPresent() && state.get().webhookId().equals(target)) {
          try (IntegrityApp app = StoreOnly.open(ctx, db)) {
            app.store().mirrors().deleteWebhook(base.baseId());
          }
        }
        if (gone) {
          ctx.err().printf("integrity: base %s has no webhook %s%n", base.baseId(), target);
          return ExitCode.USAGE;
        }
        ctx.out().printf("deleted webhook %s of base %s%n", target, base.baseId());
        return 0;
      }
    }
  }

  private static Optional<WebhookState> remembered(CliContext ctx, DbOption db, String baseId) {
    try (IntegrityApp app = StoreOnly.open(ctx, db)) {
      return app.store().mirrors().webhook(baseId);
    }
  }
}
