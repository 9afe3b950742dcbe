package dev.integrity.check;

import dev.integrity.config.CheckSpec;
import dev.integrity.model.AirtableRecord;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Finds the near-duplicates of a {@code similar} check: records whose compared fields, each
 * normalised ({@link #normalize}), score at least the threshold on average under Jaro-Winkler
 * (Apache Commons Text; see {@link #score}) and whose {@code same} fields read the same.
 *
 * <p>Comparing every pair would be 50 million pairs for 10,000 records, so records are compared
 * only within blocks: records of one {@code same} value sharing a key. Each record has several keys
 * (from the fields' texts joined by a space) so that one edit anywhere, also in the first letter,
 * leaves a key shared: every word of two or more letters, the first and the last three letters of
 * the whole text, and the first and last three letters of each word. Most pairs a block brings
 * together are dismissed by their texts' lengths before any scoring. A block of at most {@link
 * #FULL_BLOCK} records compares all its pairs; a bigger one (a common surname, a frequent prefix)
 * compares each record with its {@link #WINDOW} neighbours on either side in two orders, by text
 * and by reversed text (sorted neighbourhood), so the cost stays linear in the records. Which pairs
 * are compared depends only on the records' texts and ids, never on their order in the list, so a
 * full and an incremental run find the same pairs. One instance per evaluation; not thread-safe.
 */
final class NearDuplicates {
  /** Blocks up to this size compare every pair. */
  static final int FULL_BLOCK = 64;

  /** In a bigger block, each record meets this many neighbours on either side, in each order. */
  static final int WINDOW = 12;

  private static final int INTERRUPT_CHECK_EVERY = 1024;
  private static final JaroWinklerSimilarity JARO_WINKLER = new JaroWinklerSimilarity();

  /** One near-duplicate of a record: the other record's index and the score. */
  record Match(int other, double score) {}

  private final CheckSpec.Similar spec;
  private final String entity;
  private final List<AirtableRecord> records;

  /** Normalised text of each record; null for a record whose compared fields are all empty. */
  private final String[] texts;

  /** Block ids of each record, and its positions in each block's two orders (-1: small block). */
  private final int[][] blocksOf;

  private final int[][] forwardAt;
  private final int[][] backwardAt;
  private final List<int[]> forward = new ArrayList<>();
  private final List<int[]> backward = new ArrayList<>();
  private final List<Match>[] matches;
  private final String[] sameKeys;

  /** Each record's compared fields, normalised one by one ("" when empty). */
  private final String[][] fieldTexts;

  /**
   * The mean of the fields' Jaro-Winkler scores (an empty field scores 1 against an empty one, 0
   * against any text). Field by field rather than over the joined text: Jaro-Winkler rewards a
   * shared start, so over "maria garcia" and "maria gardner" the shared first name alone would lift
   * the score; measured on the planted set (docs/benchmarks.md, issue 20) the mean is both more
   * precise and finds more.
   */
  double score(int i, int j) {
    return score(i, j, 0);
  }

  /**
   * The score, or -1 as soon as it cannot reach {@code threshold}: a field's Jaro-Winkler score is
   * at most what the lengths of its two texts allow (see {@link #bound}), so most pairs that a
   * block brings together are dismissed without scoring, or after their first field.
   */
  private double score(int i, int j, double threshold) {
    String[] a = fieldTexts[i];
    String[] b = fieldTexts[j];
    double needed = threshold * a.length;
    double sum = 0;
    for (int f = 0; f < a.length; f++) {
      int rest = a.length - f - 1;
      if (a[f].equals(b[f])) {
        sum += 1;
        continue;
      }
      if (sum + bound(a[f].length(), b[f].length()) + rest < needed) {
        return -1;
      }
      sum += JARO_WINKLER.apply(a[f], b[f]);
      if (sum + rest < needed) {
        return -1;
      }
    }
    return sum / a.length;
  }

  /**
   * The highest Jaro-Winkler score two texts of these lengths can have: Jaro is at most (1 +
   * shorter/longer + 1) / 3 (every letter of the shorter one matching, no transposition), and
   * Winkler's bonus adds at most 0.4 of what Jaro lacks (four common leading letters x 0.1).
   */
  static double bound(int la, int lb) {
    if (la == 0 || lb == 0) {
      return la == lb ? 1 : 0;
    }
    double jaro = (2 + Math.min(la, lb) / (double) Math.max(la, lb)) / 3;
    return jaro + 0.4 * (1 - jaro);
  }

  /**
   * Every pair scored, no blocking: what blocking would find if it lost nothing. For the benchmark
   * that measures what blocking loses; quadratic.
   */
  List<Match>[] findByEveryPair() {
    block();
    int n = records.size();
    for (int i = 0; i < n; i++) {
      if (texts[i] == null) {
        continue;
      }
      for (int j = i + 1; j < n; j++) {
        if (texts[j] != null && sameKeys[i].equals(sameKeys[j])) {
          double score = score(i, j, spec.threshold());
          if (score >= spec.threshold()) {
            add(i, j, score);
            add(j, i, score);
          }
        }
      }
    }
    return matches;
  }

  private String[] fieldTexts(AirtableRecord record) {
    String[] out = new String[spec.compared().size()];
    for (int f = 0; f < out.length; f++) {
      Object value = record.fields().get(spec.compared().get(f));
      out[f] = Values.isEmpty(value) ? "" : normalize(Values.text(value));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  NearDuplicates(CheckSpec.Similar spec, String entity, List<AirtableRecord> records) {
    this.spec = spec;
    this.entity = entity;
    this.records = records;
    int n = records.size();
    this.texts = new String[n];
    this.blocksOf = new int[n][];
    this.forwardAt = new int[n][];
    this.backwardAt = new int[n][];
    this.matches = new List[n];
    this.fieldTexts = new String[n][];
    this.sameKeys = new String[n];
  }

  /** Each record's near-duplicates (null when it has none), best first, then by record id. */
  List<Match>[] find() {
    block();
    double threshold = spec.threshold();
    int n = records.size();
    int[] seenBy = new int[n];
    Arrays.fill(seenBy, -1);
    for (int i = 0; i < n; i++) {
      if (i % INTERRUPT_CHECK_EVERY == 0 && Thread.currentThread().isInterrupted()) {
        throw new EvaluationInterruptedException(entity, i, n);
      }
      int[] blocks = blocksOf[i];
      if (blocks == null) {
        continue;
      }
      for (int k = 0; k < blocks.length; k++) {
        int[] order = forward.get(blocks[k]);
        if (forwardAt[i][k] < 0) {
          for (int j : order) {
            compare(i, j, seenBy, threshold);
          }
        } else {
          neighbours(i, order, forwardAt[i][k], seenBy, threshold);
          neighbours(i, backward.get(blocks[k]), backwardAt[i][k], seenBy, threshold);
        }
      }
    }
    for (List<Match> list : matches) {
      if (list != null) {
        list.sort(
            Comparator.comparingDouble(Match::score)
                .reversed()
                .thenComparing(m -> records.get(m.other()).id()));
      }
    }
    return matches;
  }

  private void neighbours(int i, int[] order, int at, int[] seenBy, double threshold) {
    int from = Math.max(0, at - WINDOW);
    int to = Math.min(order.length - 1, at + WINDOW);
    for (int p = from; p <= to; p++) {
      compare(i, order[p], seenBy, threshold);
    }
  }

  /** Scores each unordered pair once: from its lower index, the first time it meets the other. */
  private void compare(int i, int j, int[] seenBy, double threshold) {
    if (j <= i || seenBy[j] == i) {
      return;
    }
    seenBy[j] = i;
    double score = score(i, j, threshold);
    if (score >= threshold) {
      add(i, j, score);
      add(j, i, score);
    }
  }

  private void add(int i, int j, double score) {
    if (matches[i] == null) {
      matches[i] = new ArrayList<>(2);
    }
    matches[i].add(new Match(j, score));
  }

  /** Texts, keys and blocks: each key shared by two or more records is a block. */
  private void block() {
    Map<String, Integer> counts = new HashMap<>();
    String[][] keysOf = new String[records.size()][];
    for (int i = 0; i < records.size(); i++) {
      AirtableRecord record = records.get(i);
      String text = compared(record);
      if (text == null) {
        continue;
      }
      texts[i] = text;
      sameKeys[i] = sameKey(record);
      fieldTexts[i] = fieldTexts(record);
      String[] keys = keys(sameKeys[i], text);
      keysOf[i] = keys;
      for (String key : keys) {
        counts.merge(key, 1, Integer::sum);
      }
    }
    // Block ids follow the records' order; what a block compares does not (see the class comment).
    Map<String, Integer> blockIds = new HashMap<>();
    List<List<Integer>> memberLists = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      if (keysOf[i] == null) {
        continue;
      }
      int shared = 0;
      for (String key : keysOf[i]) {
        if (counts.get(key) > 1) {
          shared++;
        }
      }
      int[] blocks = new int[shared];
      int b = 0;
      for (String key : keysOf[i]) {
        if (counts.get(key) > 1) {
          Integer id = blockIds.get(key);
          if (id == null) {
            id = memberLists.size();
            blockIds.put(key, id);
            memberLists.add(new ArrayList<>());
          }
          memberLists.get(id).add(i);
          blocks[b++] = id;
        }
      }
      blocksOf[i] = blocks;
      forwardAt[i] = new int[shared];
      backwardAt[i] = new int[shared];
      Arrays.fill(forwardAt[i], -1);
      Arrays.fill(backwardAt[i], -1);
    }
    Comparator<Integer> byText =
        Comparator.<Integer, String>comparing(i -> texts[i])
            .thenComparing(i -> records.get(i).id());
    String[] reversed = new String[texts.length];
    for (int i = 0; i < texts.length; i++) {
      reversed[i] = texts[i] == null ? null : new StringBuilder(texts[i]).reverse().toString();
    }
    Comparator<Integer> byReversedText =
        Comparator.<Integer, String>comparing(i -> reversed[i])
            .thenComparing(i -> records.get(i).id());
    for (int id = 0; id < memberLists.size(); id++) {
      List<Integer> list = memberLists.get(id);
      if (list.size() <= FULL_BLOCK) {
        forward.add(list.stream().mapToInt(Integer::intValue).toArray());
        backward.add(null);
        continue;
      }
      int[] f = list.stream().sorted(byText).mapToInt(Integer::intValue).toArray();
      int[] r = list.stream().sorted(byReversedText).mapToInt(Integer::intValue).toArray();
      forward.add(f);
      backward.add(r);
      for (int p = 0; p < f.length; p++) {
        forwardAt[f[p]][slot(f[p], id)] = p;
        backwardAt[r[p]][slot(r[p], id)] = p;
      }
    }
  }

  private int slot(int record, int block) {
    int[] blocks = blocksOf[record];
    for (int k = 0; k < blocks.length; k++) {
      if (blocks[k] == block) {
        return k;
      }
    }
    throw new IllegalStateException("record " + record + " is not in block " + block);
  }

  /** The compared fields' normalised texts joined by a space; null when all are empty. */
  private String compared(AirtableRecord record) {
    StringBuilder out = new StringBuilder();
    for (String field : spec.compared()) {
      Object value = record.fields().get(field);
      if (Values.isEmpty(value)) {
        continue;
      }
      String text = normalize(Values.text(value));
      if (!text.isEmpty()) {
        if (!out.isEmpty()) {
          out.append(' ');
        }
        out.append(text);
      }
    }
    return out.isEmpty() ? null : out.toString();
  }

  /** The {@code same} fields' texts as one key (empty ones read as empty: equal to each other). */
  private String sameKey(AirtableRecord record) {
    if (spec.same().isEmpty()) {
      return "";
    }
    StringBuilder key = new StringBuilder();
    for (String field : spec.same()) {
      key.append(Values.text(record.fields().get(field))).append('\u001F');
    }
    return key.toString();
  }

  /**
   * The blocking keys: each word of two or more letters ({@code w}), the first and last three
   * letters of the text without spaces and of each word longer than three ({@code p}, {@code s});
   * all after the {@code same} key.
   */
  static String[] keys(String same, String text) {
    List<String> keys = new ArrayList<>(12);
    String joined = text.replace(" ", "");
    // Tagged as the words' prefixes and suffixes: the same key when the first (last) word is long.
    keys.add(same + "\u001Dp" + prefix(joined));
    keys.add(same + "\u001Ds" + suffix(joined));
    for (String word : text.split(" ")) {
      if (word.length() >= 2) {
        keys.add(same + "\u001Dw" + word);
      }
      if (word.length() > 3) {
        keys.add(same + "\u001Dp" + prefix(word));
        keys.add(same + "\u001Ds" + suffix(word));
      }
    }
    return keys.stream().distinct().toArray(String[]::new);
  }

  private static String prefix(String s) {
    return s.length() <= 3 ? s : s.substring(0, 3);
  }

  private static String suffix(String s) {
    return s.length() <= 3 ? s : s.substring(s.length() - 3);
  }

  /**
   * Case, accents, punctuation and spacing folded: lower case, accents dropped (é → e, ß → ss, ø →
   * o), apostrophes dropped (O'Brien → obrien), other punctuation and runs of spaces read as one
   * space (Mary-Jane → mary jane), trimmed.
   */
  static String normalize(String text) {
    String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
    StringBuilder out = new StringBuilder(decomposed.length());
    boolean space = false;
    for (int i = 0; i < decomposed.length(); ) {
      int cp = decomposed.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type == Character.NON_SPACING_MARK
          || type == Character.COMBINING_SPACING_MARK
          || type == Character.ENCLOSING_MARK
          || cp == '\''
          || cp == '\u2019'
          || cp == '\u02BC'
          || cp == '`') {
        continue;
      }
      if (!Character.isLetterOrDigit(cp)) {
        space = !out.isEmpty();
        continue;
      }
      if (space) {
        out.append(' ');
        space = false;
      }
      String folded = FOLDED.get(cp);
      if (folded != null) {
        out.append(folded);
      } else {
        out.appendCodePoint(Character.toLowerCase(cp));
      }
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }

  /** Letters that decomposition leaves whole, as they are usually written without the accent. */
  private static final Map<Integer, String> FOLDED =
      Map.ofEntries(
          Map.entry((int) 'ß', "ss"),
          Map.entry((int) 'ø', "o"),
          Map.entry((int) 'Ø', "o"),
          Map.entry((int) 'æ', "ae"),
          Map.entry((int) 'Æ', "ae"),
          Map.entry((int) 'œ', "oe"),
          Map.entry((int) 'Œ', "oe"),
          Map.entry((int) 'ł', "l"),
          Map.entry((int) 'Ł', "l"),
          Map.entry((int) 'đ', "d"),
          Map.entry((int) 'Đ', "d"),
          Map.entry((int) 'ð', "d"),
          Map.entry((int) 'þ', "th"),
          Map.entry((int) 'Þ', "th"),
          Map.entry((int) 'ı', "i"));
}
