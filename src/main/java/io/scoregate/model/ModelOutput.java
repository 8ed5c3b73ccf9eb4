package io.scoregate.model;

import java.util.List;

/** What the model verticle answers for one feature vector. */
public record ModelOutput(String modelVersion, Prediction prediction, List<Reason> reasons) {}
