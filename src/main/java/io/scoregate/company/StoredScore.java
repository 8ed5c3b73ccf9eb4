package io.scoregate.company;

import java.time.LocalDate;

/**
 * The company's current score as {@code company_scores} holds it, read with its snapshot: what a
 * new assessment is compared with before it is written.
 */
public record StoredScore(
    Integer score,
    Double pd,
    String riskLevel,
    String modelVersion,
    LocalDate dataAsOf,
    String grade) {}
