package dev.integrity.run;

import dev.integrity.IntegrityException;
import java.nio.file.Path;
import java.util.List;

/** A run asked for entities its config does not define. Immutable. */
public final class UnknownEntityException extends IntegrityException {
  private final List<String> unknown;

  public UnknownEntityException(Path config, List<String> unknown, List<String> known) {
    super(
        "unknown entit"
            + (unknown.size() == 1 ? "y " : "ies ")
            + String.join(", ", unknown)
            + " (config "
            + config
            + " defines: "
            + String.join(", ", known)
            + ")");
    this.unknown = List.copyOf(unknown);
  }

  public List<String> unknown() {
    return unknown;
  }
}
