package dev.integrity.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The OpenAPI 3.1 document of the API, {@code docs/openapi.json} copied byte for byte onto the
 * classpath by the build; read once, then shared (thread-safe).
 */
final class OpenApi {
  static final String RESOURCE = "/openapi/openapi.json";

  private OpenApi() {}

  private static final class Holder {
    // Lazily, so a jar built without docs/ fails on the first request, not at class load.
    static final byte[] BYTES = load();
  }

  static byte[] bytes() {
    return Holder.BYTES.clone();
  }

  private static byte[] load() {
    try (InputStream in = OpenApi.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            RESOURCE + " is not on the classpath: the build copies it from docs/openapi.json");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
