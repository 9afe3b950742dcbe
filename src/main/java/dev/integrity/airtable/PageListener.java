package dev.integrity.airtable;

/**
 * Told after each page of a table fetch, on the fetching thread; must be quick and must be
 * thread-safe when one listener serves concurrent fetches.
 */
@FunctionalInterface
public interface PageListener {
  void onPage(PageEvent e);

  /** A listener that ignores every page. */
  static PageListener none() {
    return e -> {};
  }
}
