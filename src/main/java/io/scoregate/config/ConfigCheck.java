package io.scoregate.config;

/**
 * The check every configuration record runs in its constructor, so that a wrong value stops the
 * start with a message naming the key. Each unit owns its record; this is all they share.
 */
public final class ConfigCheck {

  private ConfigCheck() {}

  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException("invalid configuration: " + message);
    }
  }
}
