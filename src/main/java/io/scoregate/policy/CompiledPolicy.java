package io.scoregate.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One policy version, compiled: evaluated per decision, never recompiled. The first rule whose
 * condition holds decides; its formulas give the limits; then the {@link Guardrails} hold whatever
 * the rule said. Immutable and shared by every event loop.
 */
public final class CompiledPolicy {

  /** A rule with its programs (a formula left out is null) and the variables they read. */
  record Rule(
      PolicyRule source,
      CelRuntime.Program when,
      CelRuntime.Program maxAmount,
      CelRuntime.Program maxPaymentTerm,
      Set<String> reads) {}

  /** What the guardrails read, whatever the rules: see {@link Guardrails}. */
  static final Set<String> GUARDRAIL_INPUTS =
      Set.of("ceased", "proceeding_kind", "open_proceeding", "amount", "payment_term");

  private final String version;
  private final List<PolicyRule> source;
  private final Rule[] rules;
  private final boolean usesExposure;
  private final Set<String> reads;
  private final Guardrails guardrails;
  private final CelRuntime.Program firstMatch;

  /**
   * @param firstMatch one program over every condition that gives the index of the first rule that
   *     holds, so that a decision costs one evaluation, not one per rule; null when it could not be
   *     built (the rules are then evaluated one by one)
   */
  CompiledPolicy(
      String version,
      List<PolicyRule> source,
      List<Rule> rules,
      PolicyLimits limits,
      CelRuntime.Program firstMatch) {
    this.version = version;
    this.firstMatch = firstMatch;
    this.source = source;
    this.rules = rules.toArray(new Rule[0]);
    Set<String> read = new TreeSet<>(GUARDRAIL_INPUTS);
    rules.forEach(r -> read.addAll(r.reads()));
    this.reads = Collections.unmodifiableSet(read);
    this.usesExposure = read.contains(PolicyInputs.EXPOSURE);
    this.guardrails = new Guardrails(limits);
  }

  public String version() {
    return version;
  }

  public List<PolicyRule> rules() {
    return source;
  }

  /** Whether any rule reads {@code exposure}: only then is it looked up before deciding. */
  public boolean usesExposure() {
    return usesExposure;
  }

  /** Whether its conditions are evaluated in one program (else rule by rule). */
  boolean inOneProgram() {
    return firstMatch != null;
  }

  /**
   * The variables its decisions depend on: those its rules read, and those the guardrails read. A
   * simulation replays a journaled decision exactly when the journal recorded all of them.
   */
  public Set<String> reads() {
    return reads;
  }

  /** The decision on these inputs, under the platform amount cap configured. */
  public PolicyDecision decide(PolicyInputs in) {
    return decide(in, guardrails.amountCap());
  }

  /**
   * The decision on these inputs under the platform amount cap {@code amountCap}: a journaled
   * decision replays under the cap that was in force when it was made.
   */
  public PolicyDecision decide(PolicyInputs in, double amountCap) {
    Double exposure = usesExposure ? in.exposure() : null;
    int first = firstMatch(in);
    if (first >= 0) {
      return decided(rules[first], in, exposure, amountCap);
    }
    for (Rule rule : rules) {
      if (holds(rule.when(), in)) {
        return decided(rule, in, exposure, amountCap);
      }
    }
    // Unreachable for a compiled policy: its last rule is the catch-all.
    throw new IllegalStateException("policy " + version + " has no catch-all rule");
  }

  /** What the rule that holds decides: its formulas give the limits, the guardrails hold them. */
  private PolicyDecision decided(Rule rule, PolicyInputs in, Double exposure, double amountCap) {
    double maxAmount = rule.maxAmount() == null ? in.amount() : number(rule.maxAmount(), in);
    double maxTerm =
        rule.maxPaymentTerm() == null ? in.paymentTerm() : number(rule.maxPaymentTerm(), in);
    List<PolicyRule.Reason> reasons = new ArrayList<>(2);
    if (rule.source().reason() != null) {
      reasons.add(rule.source().reason());
    }
    return guardrails.hold(
        version,
        rule.source().id(),
        rule.source().recommendation(),
        maxAmount,
        maxTerm,
        in,
        reasons,
        exposure,
        amountCap);
  }

  /**
   * The index of the first rule whose condition holds, by the one program over all conditions; -1
   * (evaluate the rules one by one) when there is no such program, or when a condition could not be
   * evaluated: such a condition does not hold, which only the rule-by-rule evaluation tells.
   */
  private int firstMatch(PolicyInputs in) {
    if (firstMatch == null) {
      return -1;
    }
    try {
      return firstMatch.eval(in) instanceof Long index ? index.intValue() : -1;
    } catch (CelEvaluationException e) {
      return -1;
    }
  }

  /** A condition that cannot be evaluated (e.g. an integer division by zero) does not hold. */
  private static boolean holds(CelRuntime.Program when, PolicyInputs in) {
    try {
      return Boolean.TRUE.equals(when.eval(in));
    } catch (CelEvaluationException e) {
      return false;
    }
  }

  /** A formula that cannot be evaluated grants nothing. */
  private static double number(CelRuntime.Program formula, PolicyInputs in) {
    try {
      Object value = formula.eval(in);
      return value instanceof Number n ? n.doubleValue() : 0;
    } catch (CelEvaluationException e) {
      return 0;
    }
  }
}
