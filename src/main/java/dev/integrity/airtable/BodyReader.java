package dev.integrity.airtable;

/**
 * Reads the body of a 2xx answer into a value. Throwing {@link AirtableJson.MalformedException}
 * whose {@link AirtableJson.MalformedException#unreadable()} is true makes the transport retry the
 * request (a body cut short or not JSON); otherwise the failure is final.
 */
@FunctionalInterface
interface BodyReader<T> {
  T read(String body) throws AirtableJson.MalformedException;

  /** The body as it came. */
  static BodyReader<String> text() {
    return body -> body;
  }
}
