package io.scoregate.model;

/**
 * One feature's part in a score: a stable code ({@code HIGH_DEBT_RATIO}, {@code
 * MISSING_SALES_GROWTH}), the feature and its value, its contribution to the log-odds of default
 * (positive raises the risk) and plain text in English and French.
 */
public record Reason(
    String code, String feature, double value, double contribution, String textEn, String textFr) {}
