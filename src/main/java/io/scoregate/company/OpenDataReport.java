package io.scoregate.company;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What an open-data import did: records read, facts accepted (new), duplicates (already stored),
 * companies written, records skipped by reason (another BODACC family, a judgement that is no
 * proceeding's opening or closing, a company not on file), rejected records with the first reasons,
 * and the rate and the largest heap seen.
 */
public record OpenDataReport(
    String format,
    long read,
    long facts,
    long duplicates,
    long companiesInserted,
    long companiesUpdated,
    Map<String, Long> skipped,
    long rejected,
    List<String> firstErrors,
    Duration took,
    long peakHeapBytes) {

  public double recordsPerSecond() {
    return read / Math.max(1e-9, took.toNanos() / 1e9);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            "%s: read %,d records in %.1f s (%,.0f records/s, heap at most %,d MiB)%n",
            format, read, took.toNanos() / 1e9, recordsPerSecond(), peakHeapBytes >> 20));
    out.append(String.format("  facts accepted %,d, duplicates %,d%n", facts, duplicates));
    if (companiesInserted + companiesUpdated > 0) {
      out.append(
          String.format(
              "  companies inserted %,d, updated %,d%n", companiesInserted, companiesUpdated));
    }
    skipped.forEach((why, n) -> out.append(String.format("  skipped %,d: %s%n", n, why)));
    out.append(String.format("  rejected %,d%n", rejected));
    firstErrors.forEach(e -> out.append("  rejected: ").append(e).append('\n'));
    return out.toString();
  }
}
