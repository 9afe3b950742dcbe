package dev.integrity.cli;

import dev.integrity.app.IntegrityApp;

/** Opens the app with no config, for commands that only read or change the store. */
final class StoreOnly {
  private StoreOnly() {}

  static IntegrityApp open(CliContext ctx, DbOption db) {
    return IntegrityApp.builder().settings(ctx.settings()).clock(ctx.clock()).dbUrl(db.url).build();
  }
}
