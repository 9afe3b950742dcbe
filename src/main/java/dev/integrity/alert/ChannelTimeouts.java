package dev.integrity.alert;

import java.time.Duration;
import java.util.Objects;

/**
 * Deadlines of the alert channels: HTTP connect, read (longest silence) and whole call for the
 * webhooks, and SMTP connect, read and write for e-mail. Immutable and thread-safe.
 */
public record ChannelTimeouts(
    Duration httpConnect,
    Duration httpRead,
    Duration httpCall,
    Duration smtpConnect,
    Duration smtpRead,
    Duration smtpWrite) {

  public static final Duration DEFAULT_HTTP_CONNECT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_HTTP_READ = Duration.ofSeconds(10);
  public static final Duration DEFAULT_HTTP_CALL = Duration.ofSeconds(15);
  public static final Duration DEFAULT_SMTP_CONNECT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_SMTP_READ = Duration.ofSeconds(15);
  public static final Duration DEFAULT_SMTP_WRITE = Duration.ofSeconds(15);

  public ChannelTimeouts {
    for (Duration d :
        new Duration[] {httpConnect, httpRead, httpCall, smtpConnect, smtpRead, smtpWrite}) {
      Objects.requireNonNull(d, "every channel timeout must be set");
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("channel timeouts must be positive, got " + d);
      }
    }
  }

  /** 5 s / 10 s / 15 s for HTTP, 10 s / 15 s / 15 s for SMTP. */
  public static ChannelTimeouts defaults() {
    return new ChannelTimeouts(
        DEFAULT_HTTP_CONNECT,
        DEFAULT_HTTP_READ,
        DEFAULT_HTTP_CALL,
        DEFAULT_SMTP_CONNECT,
        DEFAULT_SMTP_READ,
        DEFAULT_SMTP_WRITE);
  }
}
