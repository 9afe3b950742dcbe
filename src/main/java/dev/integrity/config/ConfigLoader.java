package dev.integrity.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Loads {@code integrity.yml}: parses it, replaces {@code ${VAR}} from the settings' variables,
 * applies the environment's overrides, and validates everything (check types and options, regexes,
 * rule expressions, entity references, cron patterns, time zones) before any request is made. The
 * limits are not the file's: {@link Settings} read and nested them once, at start. Stateless and
 * thread-safe.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /**
   * Parses, substitutes {@code ${VAR}} from env, validates everything, and reports ALL problems at
   * once.
   *
   * @param settings the process settings: the overrides and the {@code ${VAR}} values
   * @throws ConfigException listing every problem with file, line, column and key path
   */
  public static IntegrityConfig load(Path file, Settings settings) {
    return parse(read(file), file, settings, true);
  }

  /**
   * Loads a config file for offline {@code validate}, which sends nothing: everything is checked
   * except that the Airtable token is set. When it is not (no {@code AIRTABLE_TOKEN}, no {@code
   * airtable.token}, or a {@code ${VAR}} there that is unset or empty), the config's token is
   * {@link AirtableConfig#NO_TOKEN}; such a config must never be used to read a base.
   *
   * @throws ConfigException listing every other problem
   */
  public static IntegrityConfig loadOffline(Path file, Settings settings) {
    return parse(read(file), file, settings, false);
  }

  private static String read(Path file) {
    String text;
    try {
      byte[] bytes = Files.readAllBytes(file);
      // A strict decoder: a stray Latin-1 byte is a problem to report, not a silent U+FFFD.
      text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
      if (text.startsWith("\uFEFF")) {
        text = text.substring(1);
      }
    } catch (NoSuchFileException e) {
      throw single(file, "config file not found");
    } catch (CharacterCodingException e) {
      throw single(file, "config file is not UTF-8 text");
    } catch (IOException e) {
      throw single(file, "cannot read config file: " + e.getMessage());
    }
    return text;
  }

  /**
   * Loads a config file as if the environment were {@code env} (tests and tools that hold no
   * process settings); a bad variable is reported like one in the process environment.
   */
  public static IntegrityConfig load(Path file, Map<String, String> env) {
    return load(file, Settings.from(env));
  }

  /** Loads config text as if read from {@code file} (which only names it in problems). */
  static IntegrityConfig parse(String text, Path file, Map<String, String> env) {
    return parse(text, file, Settings.from(env));
  }

  static IntegrityConfig parse(String text, Path file, Settings settings) {
    return parse(text, file, settings, true);
  }

  static IntegrityConfig parse(String text, Path file, Settings settings, boolean tokenRequired) {
    List<ConfigProblem> problems = new ArrayList<>();
    YamlNode root = new YamlReader(file, settings.variables(), problems).read(text);
    IntegrityConfig config =
        root == null
            ? null
            : new ConfigBinder(file, settings.overrides(), tokenRequired, problems).bind(root);
    if (!problems.isEmpty() || config == null) {
      throw new ConfigException(problems);
    }
    return config;
  }

  private static ConfigException single(Path file, String message) {
    return new ConfigException(List.of(new ConfigProblem(file, 0, 0, "", message)));
  }
}
