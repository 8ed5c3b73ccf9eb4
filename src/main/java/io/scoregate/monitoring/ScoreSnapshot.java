package io.scoregate.monitoring;

/** A company's score at one moment, as the history and the listeners see it. */
public record ScoreSnapshot(
    int score, double pd, String grade, String riskLevel, String modelVersion) {}
