package dev.integrity.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.integrity.common.JsonMapper;

/** The JSON conventions of the contract: ISO-8601 instants, nulls kept. Thread-safe. */
final class Json {
  private Json() {}

  static ObjectMapper mapper() {
    return JsonMapper.indented();
  }
}
