package dev.integrity.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/**
 * The one home of the product's JSON mapper configuration: ISO-8601 instants, nulls kept, Jackson's
 * defaults otherwise. Each owner keeps the mapper it gets in a final field and only reads it
 * afterwards (a configured {@link ObjectMapper} is thread-safe); a new one per owner rather than a
 * static instance keeps this free of shared mutable state. Stateless and thread-safe.
 */
public final class JsonMapper {
  private JsonMapper() {}

  /** A mapper with the product's conventions (API answers, Airtable bodies, stored JSON). */
  public static ObjectMapper create() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  /** The same conventions, indented: for JSON a person reads on the CLI's standard output. */
  public static ObjectMapper indented() {
    return create().enable(SerializationFeature.INDENT_OUTPUT);
  }
}
