package io.scoregate.company;

import java.time.LocalDate;
import java.util.List;

/**
 * Everything the scoring needs about one company, read in one round trip: identity, status, the
 * last three statements (newest first) and a summary of its events.
 */
public record CompanySnapshot(
    long id,
    CompanyKey key,
    String name,
    String status,
    List<StatementLines> statements,
    LocalDate dataAsOf,
    EventSummary events) {

  public boolean hasStatements() {
    return !statements.isEmpty();
  }

  public boolean ceased() {
    return "ceased".equals(status);
  }
}
