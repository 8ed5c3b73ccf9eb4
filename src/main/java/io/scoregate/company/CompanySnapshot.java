package io.scoregate.company;

import java.time.LocalDate;
import java.util.List;

/**
 * Everything the scoring needs about one company, read in one round trip: identity, status, the
 * last three statements (newest first), a summary of its events and its profile.
 */
public record CompanySnapshot(
    long id,
    CompanyKey key,
    String name,
    String status,
    List<StatementLines> statements,
    LocalDate dataAsOf,
    EventSummary events,
    CompanyProfile profile) {

  public boolean hasStatements() {
    return !statements.isEmpty();
  }

  public boolean ceased() {
    return "ceased".equals(status);
  }
}
