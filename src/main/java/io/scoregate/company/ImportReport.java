package io.scoregate.company;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** What an import did, per kind of record, with the first rejected lines and the rate. */
public record ImportReport(Map<String, Counts> kinds, List<String> firstErrors, Duration took) {

  /** Rows of one kind: read from the file, and what became of them. */
  public record Counts(long read, long inserted, long updated, long unchanged, long rejected) {}

  public long read() {
    return kinds.values().stream().mapToLong(Counts::read).sum();
  }

  public long changed() {
    return kinds.values().stream().mapToLong(c -> c.inserted() + c.updated()).sum();
  }

  public double rowsPerSecond() {
    return read() / Math.max(1e-9, took.toNanos() / 1e9);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    kinds.forEach(
        (kind, c) ->
            out.append(
                String.format(
                    "%-10s read %,d: %,d inserted, %,d updated, %,d unchanged, %,d rejected%n",
                    kind, c.read(), c.inserted(), c.updated(), c.unchanged(), c.rejected())));
    out.append(
        String.format(
            "%,d rows in %.1f s (%,.0f rows/s)%n", read(), took.toNanos() / 1e9, rowsPerSecond()));
    firstErrors.forEach(e -> out.append("  rejected: ").append(e).append('\n'));
    return out.toString();
  }
}
