package io.scoregate.company;

import java.time.LocalDate;
import java.util.List;

/**
 * Everything the scoring needs about one company, read in one round trip: identity, status, the
 * last three statements (newest first), a summary of its events, its profile, and the score on file
 * ({@code stored}, null when it has none).
 */
public record CompanySnapshot(
    long id,
    CompanyKey key,
    String name,
    String status,
    List<StatementLines> statements,
    LocalDate dataAsOf,
    EventSummary events,
    CompanyProfile profile,
    StoredScore stored) {

  public boolean hasStatements() {
    return !statements.isEmpty();
  }

  public boolean ceased() {
    return "ceased".equals(status);
  }
}
