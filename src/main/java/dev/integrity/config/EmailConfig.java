package dev.integrity.config;

import dev.integrity.Secret;
import java.util.List;
import java.util.Objects;

/**
 * SMTP delivery of alerts: server, port, optional login (password prints as {@code ****}), sender
 * and recipients. Immutable and thread-safe.
 */
public record EmailConfig(
    String host, int port, String user, Secret password, String from, List<String> to) {
  public EmailConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
  }
}
