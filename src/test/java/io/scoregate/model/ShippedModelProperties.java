package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of the model shipped in the jar, on random companies (missing values included). */
class ShippedModelProperties {

  private static final ScoringModel MODEL =
      ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE);

  @Provide
  Arbitrary<double[]> companies() {
    Arbitrary<Double> value =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.just(Double.NaN)),
            net.jqwik.api.Tuple.of(4, Arbitraries.doubles().between(-5, 5)),
            net.jqwik.api.Tuple.of(1, Arbitraries.doubles().between(-5000, 50000)));
    return value.array(double[].class).ofSize(MODEL.featureNames().size());
  }

  @Property(tries = 500)
  void contributionsAddUpToTheMargin(@ForAll("companies") double[] x) {
    Prediction p = MODEL.predict(x);
    double sum = p.baseMargin();
    for (double c : p.contributions()) {
      sum += c;
    }
    assertThat(sum).isCloseTo(p.margin(), within(1e-9));
    assertThat(p.pd()).isBetween(0.0, 1.0).isEqualTo(MODEL.pd(x));
  }

  @Property(tries = 200)
  void reasonsAreOrderedByStrengthWithTextInBothLanguages(@ForAll("companies") double[] x) {
    Prediction p = MODEL.predict(x);
    var reasons = MODEL.reasons(x, p, 5);
    assertThat(reasons).hasSizeLessThanOrEqualTo(5);
    for (int i = 1; i < reasons.size(); i++) {
      assertThat(Math.abs(reasons.get(i - 1).contribution()))
          .isGreaterThanOrEqualTo(Math.abs(reasons.get(i).contribution()));
    }
    for (Reason r : reasons) {
      assertThat(r.code()).matches("(HIGH|LOW|MISSING)_[A-Z0-9_]+");
      assertThat(r.textEn()).isNotBlank().doesNotContain("NaN");
      assertThat(r.textFr()).isNotBlank().doesNotContain("NaN");
      assertThat(r.textEn())
          .endsWith(r.contribution() > 0 ? "raises the risk." : "lowers the risk.");
    }
  }
}
