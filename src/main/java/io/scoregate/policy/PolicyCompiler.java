package io.scoregate.policy;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeBuilder;
import dev.cel.runtime.CelRuntimeFactory;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles and type-checks a policy's rules with CEL, once per version: every condition must be a
 * bool, every formula a number, over the declared {@link PolicyInputs} only; the last rule must be
 * the catch-all {@code true}; no expression may cost more than the configured limit. Every problem
 * is reported with the rule, the field and the line and column in the expression, and nothing that
 * fails here can be stored, let alone activated.
 */
public final class PolicyCompiler {

  private final CelCompiler conditions;
  private final CelCompiler formulas;
  private final CelCompiler firstMatch;
  private final CelRuntime runtime;
  private final long costLimit;
  private final PolicyLimits limits;

  public PolicyCompiler(PolicyRulesConfig config, PolicyLimits limits) {
    this(config, limits, CelRuntimeFactory.plannerRuntimeBuilder());
  }

  /**
   * @param runtimeBuilder CEL's runtime the programs run on: the planned one in the product (see
   *     below); the standard one in a test that checks both decide alike
   */
  PolicyCompiler(PolicyRulesConfig config, PolicyLimits limits, CelRuntimeBuilder runtimeBuilder) {
    this.costLimit = config.costLimit();
    this.limits = limits;
    CelOptions options =
        CelOptions.current()
            // score > 60 && amount < 20000: an int literal against a double, as people write it.
            .enableHeterogeneousNumericComparisons(true)
            .maxExpressionCodePointSize(config.maxExpressionChars())
            .comprehensionMaxIterations(config.maxIterations())
            .build();
    CelCompilerBuilder builder =
        CelCompilerFactory.standardCelCompilerBuilder()
            .setOptions(options)
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.math(options), CelExtensions.strings());
    for (Map.Entry<String, CelType> variable : PolicyInputs.DECLARATIONS.entrySet()) {
      builder.addVar(variable.getKey(), variable.getValue());
    }
    this.formulas = builder.build();
    this.conditions = builder.setResultType(SimpleType.BOOL).build();
    // The program over every condition of a policy is as long as all of them together.
    this.firstMatch =
        builder
            .setOptions(
                options.toBuilder()
                    .maxExpressionCodePointSize(
                        config.maxRules() * (config.maxExpressionChars() + 32))
                    .build())
            .setResultType(SimpleType.INT)
            .build();
    // The planned runtime resolves each call's overload once, when the program is built; the
    // standard one dispatches and wraps every node's result at each evaluation, most of what a
    // decision allocated (docs/bench-policy.md).
    this.runtime =
        runtimeBuilder
            .setOptions(options)
            .addLibraries(CelExtensions.math(options), CelExtensions.strings())
            .build();
  }

  /** The compiled policy; fails with a 422 problem listing every error. */
  public CompiledPolicy compile(String version, List<PolicyRule> rules) {
    List<FieldError> errors = new ArrayList<>();
    List<CompiledPolicy.Rule> compiled = new ArrayList<>(rules.size());
    for (int i = 0; i < rules.size(); i++) {
      PolicyRule rule = rules.get(i);
      String at = "rules[" + i + "]";
      CelAbstractSyntaxTree when = check(conditions, rule, at, "when", rule.when(), errors);
      CelAbstractSyntaxTree amount =
          rule.maxAmount() == null
              ? null
              : number(
                  check(formulas, rule, at, "max_amount", rule.maxAmount(), errors),
                  rule,
                  at,
                  "max_amount",
                  errors);
      CelAbstractSyntaxTree term =
          rule.maxPaymentTerm() == null
              ? null
              : number(
                  check(formulas, rule, at, "max_payment_term", rule.maxPaymentTerm(), errors),
                  rule,
                  at,
                  "max_payment_term",
                  errors);
      if (i == rules.size() - 1 && when != null && !isTrue(when.getExpr())) {
        errors.add(
            new FieldError(
                at + ".when",
                "catch_all_missing",
                "rule "
                    + rule.id()
                    + ": a policy must end with a catch-all rule, \"when\": \"true\"."));
      }
      if (errors.isEmpty()) {
        compiled.add(
            new CompiledPolicy.Rule(
                rule,
                program(when),
                amount == null ? null : program(amount),
                term == null ? null : program(term),
                variables(when, amount, term)));
      }
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    CompiledPolicy policy =
        new CompiledPolicy(
            version, List.copyOf(rules), List.copyOf(compiled), limits, firstMatch(version, rules));
    // One evaluation here, off the event loops, so the first decision does not pay CEL's lazy
    // set-up.
    policy.decide(NEUTRAL);
    return policy;
  }

  /**
   * One program over every condition, {@code (c0) ? 0 : ((c1) ? 1 : ... n-1)}: the index of the
   * first rule that holds, in one evaluation. Where a condition fails to evaluate, the program
   * fails and the rules are evaluated one by one (in which such a condition does not hold), so the
   * outcome is the same. Null when it does not compile (e.g. nested deeper than the parser takes):
   * the policy is then evaluated rule by rule, as checked.
   */
  private CelRuntime.Program firstMatch(String version, List<PolicyRule> rules) {
    StringBuilder source = new StringBuilder();
    for (int i = 0; i < rules.size() - 1; i++) {
      // Each condition on lines of its own: a line comment in one ends before the next.
      source.append("(\n").append(rules.get(i).when()).append("\n) ? ").append(i).append(" : (");
    }
    source.append(rules.size() - 1).append(")".repeat(rules.size() - 1));
    CelValidationResult result = firstMatch.compile(source.toString(), version + ".first_match");
    if (result.hasError()) {
      return null;
    }
    try {
      return program(result.getAst());
    } catch (dev.cel.common.CelValidationException | IllegalStateException e) {
      return null;
    }
  }

  private static final PolicyInputs NEUTRAL =
      PolicyInputs.fromJson(new io.vertx.core.json.JsonObject());

  private CelAbstractSyntaxTree check(
      CelCompiler compiler,
      PolicyRule rule,
      String at,
      String field,
      String expression,
      List<FieldError> errors) {
    CelValidationResult result = compiler.compile(expression, rule.id() + "." + field);
    if (result.hasError()) {
      CelIssue issue = result.getErrors().get(0);
      errors.add(
          problem(
              rule,
              at,
              field,
              "invalid_expression",
              issue.getSourceLocation(),
              issue.getMessage()));
      return null;
    }
    CelAbstractSyntaxTree ast;
    try {
      ast = result.getAst();
    } catch (dev.cel.common.CelValidationException e) {
      errors.add(
          problem(rule, at, field, "invalid_expression", CelSourceLocation.NONE, e.getMessage()));
      return null;
    }
    Cost cost = cost(ast.getExpr());
    if (cost.total() > costLimit) {
      errors.add(
          problem(
              rule,
              at,
              field,
              "cost_limit",
              location(ast.getSource(), cost.costliest()),
              "estimated cost "
                  + cost.total()
                  + " is above the limit of "
                  + costLimit
                  + " (policyRules.costLimit)"));
      return null;
    }
    return ast;
  }

  private CelAbstractSyntaxTree number(
      CelAbstractSyntaxTree ast,
      PolicyRule rule,
      String at,
      String field,
      List<FieldError> errors) {
    if (ast == null) {
      return null;
    }
    CelType type = ast.getResultType();
    if (!type.equals(SimpleType.INT) && !type.equals(SimpleType.DOUBLE)) {
      errors.add(
          problem(
              rule,
              at,
              field,
              "invalid_expression",
              CelSourceLocation.of(1, 0),
              "a formula must give a number (int or double), not " + type.name()));
      return null;
    }
    return ast;
  }

  private static FieldError problem(
      PolicyRule rule,
      String at,
      String field,
      String code,
      CelSourceLocation location,
      String message) {
    String position =
        location == null || location.equals(CelSourceLocation.NONE)
            ? ""
            : " at line " + location.getLine() + ", column " + (location.getColumn() + 1);
    return new FieldError(
        at + "." + field, code, "rule " + rule.id() + ", " + field + position + ": " + message);
  }

  private CelRuntime.Program program(CelAbstractSyntaxTree ast) {
    try {
      return runtime.createProgram(ast);
    } catch (CelEvaluationException e) {
      throw new IllegalStateException("a checked expression must be plannable", e);
    }
  }

  private static boolean isTrue(CelExpr expr) {
    return expr.getKind() == CelExpr.ExprKind.Kind.CONSTANT
        && expr.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE
        && expr.constant().booleanValue();
  }

  /**
   * The declared variables the expressions read: {@code exposure} is looked up per decision only
   * when read, and a simulation knows which recorded inputs a candidate needs.
   */
  private static Set<String> variables(CelAbstractSyntaxTree... asts) {
    Set<String> names = new HashSet<>();
    for (CelAbstractSyntaxTree ast : asts) {
      if (ast != null) {
        ast.getReferenceMap().values().stream()
            .map(r -> r.name())
            .filter(PolicyInputs.DECLARATIONS::containsKey)
            .forEach(names::add);
      }
    }
    return Set.copyOf(names);
  }

  private static CelSourceLocation location(CelSource source, CelExpr expr) {
    Integer offset = source.getPositionsMap().get(expr.id());
    return offset == null
        ? CelSourceLocation.NONE
        : source.getOffsetLocation(offset).orElse(CelSourceLocation.NONE);
  }

  /** An estimated cost and the node that weighs most in it (where the 422 points). */
  record Cost(long total, CelExpr costliest, long costliestOwn) {}

  /**
   * A static upper bound of the work an expression does: one unit per node, a regular expression 25
   * more, and a comprehension (exists, all, map, filter) its body times the size of the list it
   * runs over (rules read no lists, so every range is a literal).
   */
  static Cost cost(CelExpr expr) {
    long own = 1;
    long children = 0;
    CelExpr costliest = expr;
    long costliestOwn = 0;
    List<CelExpr> parts = new ArrayList<>();
    switch (expr.getKind()) {
      case CALL -> {
        expr.call().target().ifPresent(parts::add);
        parts.addAll(expr.call().args());
        if (expr.call().function().equals("matches")) {
          own += 25;
        }
      }
      case LIST -> parts.addAll(expr.list().elements());
      case SELECT -> parts.add(expr.select().operand());
      case MAP ->
          expr.map()
              .entries()
              .forEach(
                  e -> {
                    parts.add(e.key());
                    parts.add(e.value());
                  });
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = expr.comprehension();
        CelExpr range = c.iterRange();
        long size =
            range.getKind() == CelExpr.ExprKind.Kind.LIST ? range.list().elements().size() : 100;
        Cost loop = cost(c.loopStep());
        Cost condition = cost(c.loopCondition());
        own += size * (loop.total() + condition.total());
        parts.add(range);
        parts.add(c.accuInit());
        parts.add(c.result());
      }
      default -> {}
    }
    for (CelExpr part : parts) {
      Cost child = cost(part);
      children += child.total();
      if (child.costliestOwn() > costliestOwn) {
        costliest = child.costliest();
        costliestOwn = child.costliestOwn();
      }
    }
    if (own >= costliestOwn) {
      costliest = expr;
      costliestOwn = own;
    }
    return new Cost(own + children, costliest, costliestOwn);
  }
}
