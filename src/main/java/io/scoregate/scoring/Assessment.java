package io.scoregate.scoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.CompanyProfile;
import io.scoregate.company.EventSummary;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A company's current score: what the cache holds and what every decision on the company starts
 * from. {@code score}, {@code pd} and {@code riskLevel} are null when the data on file is not
 * enough to score (no statements).
 */
public record Assessment(
    CompanyKey key,
    String companyName,
    Integer score,
    Double pd,
    String riskLevel,
    List<ScoreReason> reasons,
    double[] features,
    String modelVersion,
    LocalDate dataAsOf,
    Instant evaluatedAt,
    boolean refuse,
    double monthlySales,
    double equity,
    EventSummary events,
    CompanyProfile profile) {

  public boolean insufficientData() {
    return score == null;
  }
}
