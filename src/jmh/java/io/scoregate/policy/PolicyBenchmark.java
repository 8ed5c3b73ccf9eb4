package io.scoregate.policy;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One decision through a compiled 20-rule tenant policy, as the decision service does it: first
 * match over conditions on the score, amount, sector, region, events and exposure, formulas for
 * the limits, then the guardrails. {@code decide} takes companies in turn so that every rule
 * decides some of them; {@code decideByCatchAll} is the worst case, all 20 conditions evaluated;
 * {@code floorOfTheSameLength} is what the machine adds to any call of that length. Sample mode:
 * JMH reports percentiles.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PolicyBenchmark {

  private static final String[] CONDITIONS = {
    "ceased || proceeding_kind == 'liquidation_judiciaire'",
    "open_proceeding",
    "!scored && amount < 5000",
    "!scored",
    "incidents_12m >= 3 || incident_amount_12m > 50000.0",
    "exposure + amount > 2000000",
    "country != 'FR' && amount > 500000",
    "sector.startsWith('41') && score < 50",
    "sector in ['56.10A', '56.30Z', '47.11F'] && age_years < 2",
    "legal_form == 'EI' && amount > 50000",
    "region == '11' && score >= 80 && amount < 1000000",
    "score >= 80 && payment_term <= 60",
    "score >= 70 && amount < 0.1 * sales",
    "score > 60 && amount < 20000",
    "grade in ['G1', 'G2', 'G3'] && equity > 1000000.0",
    "risk_level == 'medium' && amount <= default_max_amount",
    "risk_level == 'medium' && payment_term > 90",
    "pd > 0.08 && amount > 10000",
    "age_years >= 0 && age_years < 3 && amount > 25000",
  };

  private static final String[] OUTCOMES = {
    "refuse", "manual_review", "manual_review", "refuse", "manual_review", "manual_review",
    "manual_review", "refuse", "manual_review", "manual_review", "accept", "accept", "accept",
    "accept", "accept", "accept_with_monitoring", "manual_review", "refuse", "manual_review",
  };

  private CompiledPolicy policy;
  private PolicyInputs[] companies;
  private PolicyInputs catchAll;
  private int next;

  @Setup
  public void compile() {
    JsonArray rules = new JsonArray();
    for (int i = 0; i < CONDITIONS.length; i++) {
      JsonObject rule =
          new JsonObject()
              .put("id", "r" + i)
              .put("when", CONDITIONS[i])
              .put("recommendation", OUTCOMES[i]);
      if (OUTCOMES[i].startsWith("accept")) {
        rule.put("max_amount", "math.least(default_max_amount * 1.5, sales / 12.0)")
            .put("max_payment_term", "score >= 80 ? 90 : 60");
      }
      rules.add(rule);
    }
    rules.add(
        new JsonObject()
            .put("id", "otherwise")
            .put("when", "true")
            .put("recommendation", "manual_review")
            .put("max_amount", "default_max_amount"));
    policy =
        new PolicyCompiler(
                PolicyRulesConfig.DEFAULTS,
                new PolicyLimits(5_000_000, 1000, 365, Recommendation.MANUAL_REVIEW))
            .compile("bench-2026-12-01.1", PolicyRule.parse(rules, 100));
    Random random = new Random(42);
    String[] sectors = {"25.62A", "41.20A", "56.10A", "47.11F", "62.01Z", "10.71C"};
    String[] levels = {"low", "medium", "high", "very_high"};
    companies = new PolicyInputs[1024];
    for (int i = 0; i < companies.length; i++) {
      int score = random.nextInt(101);
      companies[i] =
          new PolicyInputs(
              random.nextInt(20) != 0,
              score,
              Math.exp(-score / 15.0) * 0.3,
              "G" + (1 + random.nextInt(10)),
              levels[random.nextInt(levels.length)],
              1000 + random.nextInt(200_000),
              random.nextInt(121),
              random.nextInt(10) == 0 ? "BE" : "FR",
              sectors[random.nextInt(sectors.length)],
              random.nextBoolean() ? "11" : "84",
              random.nextInt(5) == 0 ? "EI" : "SAS",
              random.nextInt(40) - 1,
              random.nextDouble() * 50_000_000,
              random.nextDouble() * 10_000_000,
              random.nextInt(50) == 0,
              "",
              false,
              random.nextInt(8) == 0 ? 1 + random.nextInt(4) : 0,
              random.nextInt(8) == 0 ? random.nextDouble() * 80_000 : 0,
              random.nextInt(4) == 0 ? random.nextDouble() * 2_500_000 : 0,
              "accept_with_monitoring",
              random.nextDouble() * 1_000_000,
              60);
    }
    // Matches no condition: every one of the 20 is evaluated.
    catchAll =
        new PolicyInputs(
            true, 40, 0.02, "G6", "high", 8000, 30, "FR", "62.01Z", "84", "SAS", 10, 1_000_000,
            200_000, false, "", false, 0, 0, 0, "manual_review", 20_000, 30);
    // The worst case is measured only while it really is one: the 20th rule decides.
    String decider = policy.decide(catchAll).ruleId();
    if (policy.rules().size() != 20 || !"otherwise".equals(decider)) {
      throw new IllegalStateException("not the worst case: rule " + decider + " decides");
    }
  }

  @Benchmark
  public PolicyDecision decide() {
    next = (next + 1) & (companies.length - 1);
    return policy.decide(companies[next]);
  }

  @Benchmark
  public PolicyDecision decideByCatchAll() {
    return policy.decide(catchAll);
  }

  /**
   * No policy: a loop of about the worst case's median length (5 us here) that neither allocates
   * nor touches memory. Its tail is the machine's (interrupts, other threads, the sampling), the
   * floor under the decisions' percentiles measured in the same run.
   */
  @Benchmark
  public void floorOfTheSameLength() {
    Blackhole.consumeCPU(2400);
  }
}
