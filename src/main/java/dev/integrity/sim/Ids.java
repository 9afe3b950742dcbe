package dev.integrity.sim;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;

/** Airtable-shaped ids: a 3-letter prefix and 14 characters of [A-Za-z0-9]. Stateless. */
final class Ids {
  static final int SUFFIX_LENGTH = 14;
  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private Ids() {}

  static String random(String prefix, Random random) {
    var sb = new StringBuilder(prefix.length() + SUFFIX_LENGTH).append(prefix);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return sb.toString();
  }

  /** A stable id derived from a seed text, so ids survive reordering or regenerating a dataset. */
  static String derived(String prefix, String seed) {
    byte[] hash;
    try {
      hash = MessageDigest.getInstance("SHA-256").digest(seed.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
    var sb = new StringBuilder(prefix.length() + SUFFIX_LENGTH).append(prefix);
    for (int i = 0; i < SUFFIX_LENGTH; i++) {
      sb.append(ALPHABET.charAt((hash[i] & 0xff) % ALPHABET.length()));
    }
    return sb.toString();
  }

  /**
   * The id of a select choice: derived from its field and name, so that the Meta API's choices and
   * the choice objects of webhook payloads name a choice by the same id.
   */
  static String choice(String fieldId, String name) {
    return derived("sel", fieldId + ":" + name);
  }

  static boolean valid(String prefix, String id) {
    if (id == null || id.length() != prefix.length() + SUFFIX_LENGTH || !id.startsWith(prefix)) {
      return false;
    }
    for (int i = prefix.length(); i < id.length(); i++) {
      if (ALPHABET.indexOf(id.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }
}
