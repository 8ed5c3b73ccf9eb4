package io.scoregate.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The bundled texts are exactly the texts answered and journaled before they moved into bundles: a
 * policy reason of a past decision is read back from its code, so its wording must not drift.
 */
class ReasonTextsTest {

  private final ReasonTexts texts = new ReasonTexts();

  @Test
  void ruleReasonsReadAsTheyAlwaysDid() {
    assertThat(texts.ceased())
        .isEqualTo(
            ScoreReason.rule(
                "COMPANY_CEASED",
                "The company has ceased trading.",
                "L'entreprise a cessé son activité."));
    assertThat(texts.insufficientData())
        .isEqualTo(
            ScoreReason.rule(
                "INSUFFICIENT_DATA",
                "No financial statements on file: the company cannot be scored automatically.",
                "Aucun bilan disponible : l'entreprise ne peut pas être notée automatiquement."));
    assertThat(texts.proceeding("redressement_judiciaire", "2026-03-01"))
        .isEqualTo(
            ScoreReason.rule(
                "INSOLVENCY_REDRESSEMENT_JUDICIAIRE",
                "Open insolvency proceeding: judicial reorganisation (redressement judiciaire)"
                    + " since 2026-03-01.",
                "Procédure collective en cours : redressement judiciaire depuis le 2026-03-01."));
    assertThat(texts.proceeding("liquidation_judiciaire", null))
        .isEqualTo(
            ScoreReason.rule(
                "INSOLVENCY_LIQUIDATION_JUDICIAIRE",
                "Open insolvency proceeding: judicial liquidation.",
                "Procédure collective en cours : liquidation judiciaire."));
    assertThat(texts.proceeding("sauvegarde", "2025-01-02").text())
        .isEqualTo(
            "Open insolvency proceeding: safeguard proceeding (sauvegarde) since 2025-01-02.");
    assertThat(texts.incidents("PAYMENT_INCIDENTS_12M", 1, 12, 45, 1))
        .isEqualTo(
            new ScoreReason(
                "PAYMENT_INCIDENTS_12M",
                null,
                1.0,
                null,
                "1 payment incident in the last 12 months (up to 45 days late): risk level"
                    + " lowered by 1.",
                "1 incident de paiement sur les 12 derniers mois (jusqu'à 45 jours de retard) :"
                    + " niveau de risque abaissé de 1."));
    assertThat(texts.incidents("P", 12000, 24, 1200, 2).text())
        .isEqualTo(
            "12000 payment incidents in the last 24 months (up to 1200 days late): risk level"
                + " lowered by 2.");
  }

  @Test
  void policyReasonsAreMadeFromTheirCodeAndTheDecisionsNumbers() {
    assertThat(texts.limit(DecisionPolicy.AMOUNT_ABOVE_LIMIT, 50_000, 20_000, 60, 30))
        .isEqualTo(
            ScoreReason.rule(
                "AMOUNT_ABOVE_LIMIT",
                "The amount asked (50000) is above the credit limit of 20000 for this risk level.",
                "Le montant demandé (50000) dépasse la limite de crédit de 20000 pour ce niveau de"
                    + " risque."));
    assertThat(texts.limit(DecisionPolicy.AMOUNT_ABOVE_LIMIT, 1234567.5, 1000000, 60, 30).text())
        .isEqualTo(
            "The amount asked (1234567.5) is above the credit limit of 1000000 for this risk"
                + " level.");
    assertThat(texts.limit(DecisionPolicy.PAYMENT_TERM_ABOVE_LIMIT, 1000, 20_000, 90, 60))
        .isEqualTo(
            ScoreReason.rule(
                "PAYMENT_TERM_ABOVE_LIMIT",
                "The payment term asked (90 days) is above the 60 days allowed for this risk"
                    + " level.",
                "Le délai de paiement demandé (90 jours) dépasse les 60 jours admis pour ce niveau"
                    + " de risque."));
  }

  @Test
  void theJvmsDefaultLocaleChangesNoText() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.FRANCE);
      ReasonTexts french = new ReasonTexts();
      assertThat(french.ceased().text()).isEqualTo("The company has ceased trading.");
      assertThat(french.limit(DecisionPolicy.AMOUNT_ABOVE_LIMIT, 1_500_000, 1_000_000, 1, 1).text())
          .contains("(1500000)", "of 1000000");
    } finally {
      Locale.setDefault(before);
    }
  }
}
