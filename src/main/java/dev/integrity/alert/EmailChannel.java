package dev.integrity.alert;

import dev.integrity.Secret;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * Sends alerts by SMTP (Angus Mail) with connect, read and write timeouts. Thread-safe: each send
 * opens its own transport on a shared session.
 */
final class EmailChannel implements AlertChannel {
  private static final int SMTPS_PORT = 465;

  private final String host;
  private final int port;
  private final String user;
  private final Secret password;
  private final InternetAddress from;
  private final InternetAddress[] to;
  private final Session session;
  private final Clock clock;

  EmailChannel(
      String host,
      int port,
      String user,
      Secret password,
      String from,
      List<String> to,
      ChannelTimeouts timeouts,
      Clock clock) {
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.user = user;
    this.password = password;
    this.clock = Objects.requireNonNull(clock, "clock");
    try {
      this.from = new InternetAddress(from, true);
      this.to = InternetAddress.parse(String.join(",", to), true);
    } catch (MessagingException e) {
      throw new IllegalArgumentException(
          "alert e-mail addresses are invalid (from "
              + from
              + ", to "
              + to
              + "): "
              + e.getMessage());
    }
    if (this.to.length == 0) {
      throw new IllegalArgumentException("alert e-mail needs at least one recipient");
    }
    Properties props = new Properties();
    String protocol = port == SMTPS_PORT ? "smtps" : "smtp";
    props.put("mail.transport.protocol", protocol);
    String prefix = "mail." + protocol + ".";
    props.put(prefix + "host", host);
    props.put(prefix + "port", String.valueOf(port));
    props.put(prefix + "auth", String.valueOf(user != null));
    props.put(prefix + "connectiontimeout", String.valueOf(timeouts.smtpConnect().toMillis()));
    props.put(prefix + "timeout", String.valueOf(timeouts.smtpRead().toMillis()));
    props.put(prefix + "writetimeout", String.valueOf(timeouts.smtpWrite().toMillis()));
    // Upgrade to TLS when the server offers it; port 465 speaks TLS from the start.
    props.put("mail.smtp.starttls.enable", "true");
    this.session = Session.getInstance(props);
  }

  @Override
  public String name() {
    return "email";
  }

  @Override
  public void send(AlertMessage message) {
    String secret = password == null ? null : password.reveal();
    try {
      MimeMessage mail = new MimeMessage(session);
      mail.setFrom(from);
      mail.setRecipients(Message.RecipientType.TO, to);
      mail.setSubject("[integrity] " + message.title(), "UTF-8");
      // A reader shows the HTML part; one that cannot, or will not, shows the text.
      MimeBodyPart text = new MimeBodyPart();
      text.setText(message.text() + "\n", "UTF-8", "plain");
      MimeBodyPart html = new MimeBodyPart();
      html.setText(EmailBody.html(message), "UTF-8", "html");
      mail.setContent(new MimeMultipart("alternative", text, html));
      mail.setSentDate(Date.from(clock.instant()));
      mail.saveChanges();
      try (Transport transport = session.getTransport()) {
        transport.connect(host, port, user, secret);
        transport.sendMessage(mail, mail.getAllRecipients());
      }
    } catch (MessagingException e) {
      throw new AlertDeliveryException(
          name(),
          "cannot send via "
              + host
              + ":"
              + port
              + ": "
              + AlertDeliveryException.describe(e, secret));
    }
  }

  @Override
  public String toString() {
    return "EmailChannel[" + host + ":" + port + ", user=" + user + ", password=****]";
  }
}
