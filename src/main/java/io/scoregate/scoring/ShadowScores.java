package io.scoregate.scoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.model.ModelOutput;
import java.time.Instant;

/**
 * Where the shadow model's score goes when one runs beside the champion: the application wires the
 * model rollout's recorder here, so scoring does not depend on it. Must never block or fail.
 */
@FunctionalInterface
public interface ShadowScores {

  ShadowScores NONE = (at, company, output) -> {};

  /** Called for every assessment whose model output carries a shadow PD. */
  void record(Instant at, CompanyKey company, ModelOutput output);
}
