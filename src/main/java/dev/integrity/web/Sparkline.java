package dev.integrity.web;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A tiny inline SVG line of counts, drawn on the server (tag/spark.jte): no script and no style
 * attribute, so the CSP allows it. Stateless and thread-safe.
 */
final class Sparkline {
  static final int WIDTH = 120;
  static final int HEIGHT = 24;
  private static final double PAD = 2;

  private Sparkline() {}

  /** The line's geometry for tag/spark.jte; null when there is nothing to draw. */
  static Views.Spark of(List<Long> counts) {
    if (counts.isEmpty()) {
      return null;
    }
    long max = Math.max(1, counts.stream().mapToLong(c -> c == null ? 0 : c).max().orElse(1));
    int n = counts.size();
    double step = n == 1 ? 0 : (WIDTH - 2 * PAD) / (n - 1);
    StringBuilder points = new StringBuilder();
    double lastX = PAD;
    double lastY = HEIGHT - PAD;
    for (int i = 0; i < n; i++) {
      long c = counts.get(i) == null ? 0 : counts.get(i);
      lastX = PAD + i * step;
      lastY = HEIGHT - PAD - (HEIGHT - 2 * PAD) * c / (double) max;
      points.append(String.format(Locale.ROOT, "%.1f,%.1f ", lastX, lastY));
    }
    String title =
        counts.stream().map(c -> c == null ? "0" : c.toString()).collect(Collectors.joining(", "));
    return new Views.Spark(
        WIDTH,
        HEIGHT,
        n,
        title,
        points.toString().trim(),
        String.format(Locale.ROOT, "%.1f", lastX),
        String.format(Locale.ROOT, "%.1f", lastY));
  }
}
