package dev.integrity.alert;

import java.util.List;
import java.util.Objects;

/**
 * An owner of entities as delivery sees it: its name and the channels its alerts go to. Immutable
 * and thread-safe.
 */
public record Owner(String name, List<AlertChannel> channels) {
  public Owner {
    Objects.requireNonNull(name, "name");
    channels = List.copyOf(channels);
  }
}
