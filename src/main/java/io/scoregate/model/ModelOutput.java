package io.scoregate.model;

import java.util.List;

/**
 * What the model verticle answers for one feature vector: the champion's prediction and reasons,
 * and the shadow model's PD beside it when one runs ({@code shadowVersion} and {@code shadowPd}
 * null otherwise).
 */
public record ModelOutput(
    String modelVersion,
    Prediction prediction,
    List<Reason> reasons,
    String shadowVersion,
    Double shadowPd) {}
