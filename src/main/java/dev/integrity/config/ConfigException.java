package dev.integrity.config;

import dev.integrity.IntegrityException;
import java.util.List;

/**
 * A configuration that cannot be used, with every problem found (not just the first), each naming
 * file, line, column and key path. The CLI maps it to exit code 64. Immutable and thread-safe.
 */
public final class ConfigException extends IntegrityException {
  private final List<ConfigProblem> problems;

  public ConfigException(List<ConfigProblem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  /** The problems in the order they were found (file order, then environment). */
  public List<ConfigProblem> problems() {
    return problems;
  }

  private static String describe(List<ConfigProblem> problems) {
    if (problems.isEmpty()) {
      return "invalid configuration";
    }
    if (problems.size() == 1) {
      return "invalid configuration: " + problems.getFirst();
    }
    StringBuilder out =
        new StringBuilder("invalid configuration (").append(problems.size()).append(" problems):");
    for (ConfigProblem p : problems) {
      out.append("\n  ").append(p);
    }
    return out.toString();
  }
}
