package io.scoregate.edge;

/**
 * Where a tenant stands against its two policies after a call: the burst (calls per second with its
 * burst capacity) and the calendar month (calls since the first of the month, UTC).
 */
public record Quota(
    boolean allowed,
    String violated,
    int burstLimit,
    long burstRemaining,
    long burstResetMs,
    long monthlyLimit,
    long monthlyRemaining,
    long monthlyResetMs,
    long retryAfterMs,
    boolean degraded) {

  /** The policy closest to its limit, relative to its size: the one partners should pace on. */
  public boolean burstIsTightest() {
    if ("burst".equals(violated)) {
      return true;
    }
    if ("monthly".equals(violated)) {
      return false;
    }
    return (double) burstRemaining / burstLimit <= (double) monthlyRemaining / monthlyLimit;
  }
}
