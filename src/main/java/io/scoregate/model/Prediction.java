package io.scoregate.model;

/**
 * A model's answer for one company: the calibrated 12-month PD, the raw margin (log-odds), the
 * expected margin over the training data, and each feature's exact contribution to the margin
 * ({@code baseMargin + sum(contributions) == margin}; positive raises the risk).
 */
public record Prediction(double pd, double margin, double baseMargin, double[] contributions) {}
