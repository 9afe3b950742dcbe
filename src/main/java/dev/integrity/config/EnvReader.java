package dev.integrity.config;

import dev.integrity.Secret;
import dev.integrity.common.Texts;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads typed values out of an environment map, recording one problem per bad variable (a secret's
 * value is never quoted). Not thread-safe; one per read of the environment.
 */
record EnvReader(Map<String, String> env, List<ConfigProblem> problems) {

  /** Whether the user set the variable (unset and blank both mean "use the default"). */
  boolean given(String name) {
    return text(name) != null;
  }

  String text(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }

  Secret secret(String name) {
    return Secret.ofNullable(env.get(name));
  }

  List<String> list(String name) {
    String value = text(name);
    if (value == null) {
      return List.of();
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  URI httpUrl(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    URI uri = Urls.httpUri(value);
    if (uri == null) {
      problem(
          name,
          name + " must be an http(s) URL with a host, got '" + Texts.shorten(value, 80) + "'");
    }
    return uri;
  }

  /** Webhook URLs carry their credential in the path: check them, never quote them. */
  Secret secretUrl(String name) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    if (Urls.httpUri(value) == null) {
      problem(name, name + " must be an http(s) URL with a host (value not shown: secret)");
    }
    return new Secret(value);
  }

  Integer port(String name) {
    Long port = number(name, 1, 65535);
    return port == null ? null : port.intValue();
  }

  /** A whole number in range, or null when unset or bad (a bad one is recorded). */
  Long number(String name, long min, long max) {
    String value = text(name);
    if (value == null) {
      return null;
    }
    try {
      long n = Long.parseLong(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    problem(
        name,
        name
            + " must be a whole number from "
            + min
            + " to "
            + max
            + ", got '"
            + Texts.shorten(value, 40)
            + "'");
    return null;
  }

  void problem(String name, String message) {
    problems.add(ConfigProblem.inEnvironment(name, message));
  }
}
