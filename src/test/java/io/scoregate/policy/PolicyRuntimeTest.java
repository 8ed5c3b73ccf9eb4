package io.scoregate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cel.runtime.CelRuntimeFactory;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Policies run on CEL's planned runtime, which allocates far less per decision than its standard
 * one. These tests hold that the change of runtime changed no decision: the same rules compiled for
 * both decide every generated company alike (rule, recommendation, limits, reasons), including
 * conditions and formulas that fail to evaluate, and the run-time limits still hold.
 */
class PolicyRuntimeTest {

  private static final PolicyLimits LIMITS = PolicyCompilerTest.LIMITS;

  /** Conditions over every variable and the functions rules use, some of them failing for some. */
  private static final String[][] RULES = {
    {"ceased || proceeding_kind == 'liquidation_judiciaire'", "refuse"},
    {"open_proceeding && proceeding_kind == 'sauvegarde'", "accept"},
    {"!scored && amount < 5000", "manual_review"},
    {"incidents_12m >= 3 || incident_amount_12m > 50000.0", "manual_review"},
    {"exposure + amount > 2000000", "manual_review"},
    {"country != 'FR' && amount > 500000", "manual_review"},
    {"sector.startsWith('41') && score < 50", "refuse"},
    {"sector in ['56.10A', '56.30Z', '47.11F'] && age_years < 2", "manual_review"},
    {"legal_form == 'EI' && amount > 50000", "manual_review"},
    {"100 / (score - 75) > 1 && amount < 90000", "accept"},
    {"region == '11' && score >= 80 && amount < 1000000", "accept"},
    {"score >= 80 && payment_term <= 60", "accept"},
    {"score >= 70 && amount < 0.1 * sales", "accept"},
    {"['25', '62', '10'].exists(p, sector.startsWith(p)) && score % 7 == 3", "accept"},
    {"sector.matches('^[0-9]{2}\\\\.[0-9]{2}[A-Z]$') && size(sector) == 6 && pd < 0.001", "accept"},
    {"grade in ['G1', 'G2', 'G3'] && equity > 1000000.0", "accept"},
    {"risk_level == 'medium' && amount <= default_max_amount", "accept_with_monitoring"},
    {"default_recommendation == 'refuse' || default_max_payment_term < payment_term", "refuse"},
    {"pd > 0.08 && amount > 10000", "refuse"},
    {"age_years >= 0 && age_years < 3 && amount > 25000", "manual_review"},
  };

  private static final String[] AMOUNTS = {
    "math.least(default_max_amount * 1.5, sales / 12.0)",
    "sales / double(incidents_12m)",
    "double(score * 1000 / (age_years - 5))",
    "equity > 0.0 ? equity * 0.2 : 5000.0",
  };

  private static final String[] TERMS = {
    "score >= 80 ? 90 : 60", "payment_term / (score - 50)", "math.greatest(30, payment_term)",
  };

  private static List<PolicyRule> rules() {
    JsonArray rules = new JsonArray();
    for (int i = 0; i < RULES.length; i++) {
      JsonObject rule =
          new JsonObject()
              .put("id", "r" + i)
              .put("when", RULES[i][0])
              .put("recommendation", RULES[i][1]);
      if (i % 2 == 1) {
        rule.put("max_amount", AMOUNTS[i / 2 % AMOUNTS.length]);
      }
      if (i % 3 == 2) {
        rule.put("max_payment_term", TERMS[i / 3 % TERMS.length]);
      }
      rules.add(rule);
    }
    rules.add(
        new JsonObject()
            .put("id", "otherwise")
            .put("when", "true")
            .put("recommendation", "manual_review")
            .put("max_amount", "default_max_amount"));
    return PolicyRule.parse(rules, 100);
  }

  /** Companies spread so that every rule decides some and every failing expression fails some. */
  private static PolicyInputs company(Random random) {
    String[] sectors = {"25.62A", "41.20A", "56.10A", "47.11F", "62.01Z", "10.71C", "", "9"};
    String[] levels = {"low", "medium", "high", "very_high", ""};
    String[] kinds = {
      "", "", "", "sauvegarde", "redressement_judiciaire", "liquidation_judiciaire"
    };
    String[] outcomes = {"accept", "accept_with_monitoring", "manual_review", "refuse"};
    int score = random.nextInt(101);
    String kind = random.nextInt(10) == 0 ? kinds[random.nextInt(kinds.length)] : "";
    return new PolicyInputs(
        random.nextInt(20) != 0,
        score,
        Math.exp(-score / 15.0) * 0.3,
        random.nextInt(12) == 0 ? "" : "G" + (1 + random.nextInt(10)),
        levels[random.nextInt(levels.length)],
        random.nextInt(30) == 0 ? 0 : 1000 + random.nextInt(2_000_000),
        random.nextInt(181),
        random.nextInt(10) == 0 ? "BE" : "FR",
        sectors[random.nextInt(sectors.length)],
        random.nextBoolean() ? "11" : "84",
        random.nextInt(5) == 0 ? "EI" : "SAS",
        random.nextInt(40) - 1,
        random.nextInt(10) == 0 ? 0 : random.nextDouble() * 50_000_000,
        random.nextInt(10) == 0 ? -random.nextDouble() * 1_000_000 : random.nextDouble() * 1e7,
        !kind.isEmpty(),
        kind,
        random.nextInt(40) == 0,
        random.nextInt(8) == 0 ? 1 + random.nextInt(4) : 0,
        random.nextInt(8) == 0 ? random.nextDouble() * 80_000 : 0,
        random.nextInt(4) == 0 ? random.nextDouble() * 2_500_000 : 0,
        outcomes[random.nextInt(outcomes.length)],
        random.nextDouble() * 1_000_000,
        random.nextInt(121));
  }

  @Test
  void thePlannedRuntimeDecidesEveryCompanyAsTheStandardOneDid() {
    List<PolicyRule> rules = rules();
    CompiledPolicy planned =
        new PolicyCompiler(PolicyRulesConfig.DEFAULTS, LIMITS).compile("t-2026-12-02.1", rules);
    CompiledPolicy standard =
        new PolicyCompiler(
                PolicyRulesConfig.DEFAULTS, LIMITS, CelRuntimeFactory.standardCelRuntimeBuilder())
            .compile("t-2026-12-02.1", rules);
    assertThat(planned.inOneProgram()).isTrue();
    Random random = new Random(20261202);
    Map<String, Integer> decidedBy = new HashMap<>();
    for (int i = 0; i < 10_000; i++) {
      PolicyInputs in = company(random);
      PolicyDecision decision = planned.decide(in);
      assertThat(decision).as("company %s", in).isEqualTo(standard.decide(in));
      assertThat(planned.decide(in, 250_000)).isEqualTo(standard.decide(in, 250_000));
      decidedBy.merge(decision.ruleId(), 1, Integer::sum);
    }
    // The comparison means something only if every rule decided some companies.
    assertThat(decidedBy).hasSize(RULES.length + 1);
  }

  @Test
  void aComprehensionStopsAfterTheConfiguredIterations() {
    PolicyRulesConfig tenIterations = new PolicyRulesConfig(1000, 100, 2000, 10, 1000, 100, 3);
    PolicyCompiler compiler = new PolicyCompiler(tenIterations, LIMITS);
    String twelve = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]";
    String nine = "[0, 1, 2, 3, 4, 5, 6, 7, 8]";
    for (String list : List.of(nine, twelve)) {
      CompiledPolicy policy =
          compiler.compile(
              "t-2026-12-02.2",
              PolicyRule.parse(
                  new JsonArray()
                      .add(
                          new JsonObject()
                              .put("id", "loop")
                              .put("when", list + ".all(x, x < score)")
                              .put("recommendation", "accept"))
                      .add(
                          new JsonObject()
                              .put("id", "end")
                              .put("when", "true")
                              .put("recommendation", "refuse")),
                  100));
      String decider = policy.decide(PolicyCompilerTest.company(90, 1000, 10)).ruleId();
      // Twelve iterations are more than ten: the condition fails to evaluate, so does not hold.
      assertThat(decider).as(list).isEqualTo(list.equals(nine) ? "loop" : "end");
    }
  }
}
