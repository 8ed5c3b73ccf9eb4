package io.scoregate.policy;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.ArrayList;
import java.util.List;

/**
 * One policy version, compiled: evaluated per decision, never recompiled. The first rule whose
 * condition holds decides; its formulas give the limits; then the {@link Guardrails} hold whatever
 * the rule said. Immutable and shared by every event loop.
 */
public final class CompiledPolicy {

  /** A rule with its programs; a formula left out is null. */
  record Rule(
      PolicyRule source,
      CelRuntime.Program when,
      CelRuntime.Program maxAmount,
      CelRuntime.Program maxPaymentTerm,
      boolean usesExposure) {}

  private final String version;
  private final List<PolicyRule> source;
  private final Rule[] rules;
  private final boolean usesExposure;
  private final Guardrails guardrails;

  CompiledPolicy(String version, List<PolicyRule> source, List<Rule> rules, PolicyLimits limits) {
    this.version = version;
    this.source = source;
    this.rules = rules.toArray(new Rule[0]);
    this.usesExposure = rules.stream().anyMatch(Rule::usesExposure);
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

  public PolicyDecision decide(PolicyInputs in) {
    for (Rule rule : rules) {
      if (holds(rule.when(), in)) {
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
            reasons);
      }
    }
    // Unreachable for a compiled policy: its last rule is the catch-all.
    throw new IllegalStateException("policy " + version + " has no catch-all rule");
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
