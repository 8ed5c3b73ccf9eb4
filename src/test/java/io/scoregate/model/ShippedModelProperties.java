package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.lists;

import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Properties of the model shipped in the jar, on random companies (missing values included). */
class ShippedModelProperties {

  private static final ScoringModel MODEL =
      ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE);

  /** Feature vectors: one value in six missing, most of them ratio-sized, some amount-sized. */
  private static Gen<double[]> companies() {
    Gen<Double> value =
        Generate.frequency(
            Pair.of(1, Generate.constant(Double.NaN)),
            Pair.of(4, doubles().between(-5, 5)),
            Pair.of(1, doubles().between(-5000, 50000)));
    return lists()
        .of(value)
        .ofSize(MODEL.featureNames().size())
        .map(list -> list.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Test
  void contributionsAddUpToTheMargin() {
    qt().withExamples(500)
        .forAll(companies())
        .checkAssert(
            x -> {
              Prediction p = MODEL.predict(x);
              double sum = p.baseMargin();
              for (double c : p.contributions()) {
                sum += c;
              }
              assertThat(sum).isCloseTo(p.margin(), within(1e-9));
              assertThat(p.pd()).isBetween(0.0, 1.0).isEqualTo(MODEL.pd(x));
            });
  }

  @Test
  void tabulatedContributionsAreThoseOfThePathWalk() {
    assertThat(MODEL.trees().tabulated()).isTrue();
    qt().withExamples(500)
        .forAll(companies())
        .checkAssert(
            x -> {
              double[] tabulated = MODEL.trees().shap(x);
              double[] walked = MODEL.trees().shapByPaths(x);
              for (int i = 0; i < walked.length; i++) {
                assertThat(tabulated[i]).isCloseTo(walked[i], within(1e-12));
              }
            });
  }

  @Test
  void reasonsAreOrderedByStrengthWithTextInBothLanguages() {
    qt().withExamples(200)
        .forAll(companies())
        .checkAssert(
            x -> {
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
            });
  }
}
