package io.scoregate.policy;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.UnknownCompanyException;
import io.scoregate.problem.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Replays a candidate policy before it goes live. On the journal: the tenant's decisions of a
 * period, each with the inputs recorded when it was made (not today's data) and under the platform
 * amount cap then in force, against what was decided; a decision whose journal did not record an
 * input the candidate reads (rows written before it was recorded) is replayed with it
 * reconstructed, and counted so ({@code reconstructed}). On a portfolio: what its members would get
 * today, against the tenant's active policy. Either way: how many decisions change, the migration
 * matrix of recommendations, the credit granted in total and samples of each change. The replay
 * runs on a worker thread.
 */
public final class PolicySimulation {

  private final Vertx vertx;
  private final SimulationRepository repository;
  private final CurrentInputs current;
  private final PolicyRulesConfig config;

  public PolicySimulation(
      Vertx vertx,
      SimulationRepository repository,
      CurrentInputs current,
      PolicyRulesConfig config) {
    this.vertx = vertx;
    this.repository = repository;
    this.current = current;
    this.config = config;
  }

  /** One decision as it was and as the candidate would make it. */
  private record Pair(
      JsonObject subject,
      Recommendation before,
      long maxAmountBefore,
      double amount,
      PolicyDecision after) {}

  public Future<JsonObject> onJournal(
      String tenantId, CompiledPolicy candidate, Instant from, Instant to) {
    return repository
        .decisions(tenantId, from, to, config.simulationMaxDecisions())
        .compose(
            decided ->
                vertx.executeBlocking(
                    () -> {
                      List<Pair> pairs = new ArrayList<>(decided.size());
                      int reconstructed = 0;
                      Map<String, Integer> byInput = new TreeMap<>();
                      for (SimulationRepository.Decided d : decided) {
                        boolean exact = true;
                        for (String name : d.unrecorded()) {
                          // Only what the candidate reads matters; the cap always does.
                          if (name.equals(SimulationRepository.AMOUNT_CAP)
                              || candidate.reads().contains(name)) {
                            byInput.merge(name, 1, Integer::sum);
                            exact = false;
                          }
                        }
                        if (!exact) {
                          reconstructed++;
                        }
                        pairs.add(
                            new Pair(
                                new JsonObject()
                                    .put("decision_id", d.decisionId().toString())
                                    .put("evaluated_at", d.at().toString())
                                    .put("company", d.company())
                                    .put("policy_version", d.policyVersion())
                                    .put("policy_rule", d.policyRule()),
                                d.recommendation(),
                                d.maxAmount(),
                                d.inputs().amount(),
                                d.amountCap() == null
                                    ? candidate.decide(d.inputs())
                                    : candidate.decide(d.inputs(), d.amountCap())));
                      }
                      JsonObject inputs = new JsonObject();
                      byInput.forEach(inputs::put);
                      return report(candidate, pairs, decided.size())
                          .put("source", "journal")
                          .put("from", from.toString())
                          .put("to", to.toString())
                          .put(
                              "reconstructed",
                              new JsonObject()
                                  .put("decisions", reconstructed)
                                  .put("inputs", inputs));
                    },
                    false));
  }

  /**
   * The portfolio's members today, each for {@code amount} (else its exposure) and {@code
   * paymentTerm} (else its payment terms, else 0), under the active policy and the candidate.
   */
  public Future<JsonObject> onPortfolio(
      String tenantId,
      CompiledPolicy active,
      CompiledPolicy candidate,
      UUID portfolioId,
      Double amount,
      Integer paymentTerm) {
    return repository
        .members(tenantId, portfolioId, config.simulationMaxDecisions())
        .compose(
            members -> {
              if (members == null) {
                return Future.failedFuture(ProblemException.notFound("No such portfolio."));
              }
              List<Future<Pair>> pairs = new ArrayList<>(members.size());
              for (SimulationRepository.Member m : members) {
                double asked = amount != null ? amount : m.exposure();
                int term =
                    paymentTerm != null
                        ? paymentTerm
                        : m.paymentTerm() == null ? 0 : m.paymentTerm();
                pairs.add(
                    current
                        .current(new CompanyKey(m.country(), m.nationalId()), asked, term)
                        .map(
                            in -> {
                              PolicyInputs withExposure = in.withExposure(m.exposure());
                              PolicyDecision before = active.decide(withExposure);
                              return new Pair(
                                  new JsonObject()
                                      .put("reference", m.reference())
                                      .put(
                                          "company",
                                          new JsonObject()
                                              .put("country", m.country())
                                              .put("id", m.nationalId()))
                                      .put("policy_version", before.version())
                                      .put("policy_rule", before.ruleId()),
                                  before.recommendation(),
                                  before.maxAmount(),
                                  asked,
                                  candidate.decide(withExposure));
                            })
                        // A member that cannot be scored now is left out, not a failure.
                        .recover(
                            e ->
                                e instanceof UnknownCompanyException
                                    ? Future.succeededFuture(null)
                                    : Future.failedFuture(e)));
              }
              return Future.all(pairs)
                  .map(
                      all -> {
                        List<Pair> done = new ArrayList<>(members.size());
                        for (int i = 0; i < all.size(); i++) {
                          Pair p = all.resultAt(i);
                          if (p != null) {
                            done.add(p);
                          }
                        }
                        return report(candidate, done, members.size())
                            .put("source", "portfolio")
                            .put("portfolio_id", portfolioId.toString())
                            .put("against", active.version());
                      });
            });
  }

  private JsonObject report(CompiledPolicy candidate, List<Pair> pairs, int read) {
    Map<Recommendation, Map<Recommendation, Integer>> matrix = new EnumMap<>(Recommendation.class);
    Map<String, JsonArray> samples = new java.util.LinkedHashMap<>();
    int changed = 0;
    long grantedBefore = 0;
    long grantedAfter = 0;
    double acceptedBefore = 0;
    double acceptedAfter = 0;
    for (Pair p : pairs) {
      Recommendation after = p.after().recommendation();
      matrix
          .computeIfAbsent(p.before(), k -> new EnumMap<>(Recommendation.class))
          .merge(after, 1, Integer::sum);
      grantedBefore += p.maxAmountBefore();
      grantedAfter += p.after().maxAmount();
      acceptedBefore += accepts(p.before()) ? p.amount() : 0;
      acceptedAfter += accepts(after) ? p.amount() : 0;
      boolean differs = p.before() != after || p.maxAmountBefore() != p.after().maxAmount();
      if (differs) {
        changed++;
        JsonArray list =
            samples.computeIfAbsent(p.before().wire() + "->" + after.wire(), k -> new JsonArray());
        if (list.size() < config.simulationSamples()) {
          list.add(
              p.subject()
                  .copy()
                  .put(
                      "before",
                      new JsonObject()
                          .put("recommendation", p.before().wire())
                          .put("max_amount", p.maxAmountBefore()))
                  .put(
                      "after",
                      new JsonObject()
                          .put("recommendation", after.wire())
                          .put("max_amount", p.after().maxAmount())
                          .put("max_payment_term", p.after().maxPaymentTerm())
                          .put("policy_rule", p.after().ruleId())));
        }
      }
    }
    JsonObject migration = new JsonObject();
    for (Recommendation from : Recommendation.values()) {
      JsonObject row = new JsonObject();
      for (Recommendation to : Recommendation.values()) {
        row.put(to.wire(), matrix.getOrDefault(from, Map.of()).getOrDefault(to, 0));
      }
      migration.put(from.wire(), row);
    }
    JsonObject sampleJson = new JsonObject();
    samples.forEach(sampleJson::put);
    return new JsonObject()
        .put("version", candidate.version())
        .put("decisions", pairs.size())
        .put("truncated", read >= config.simulationMaxDecisions())
        .put("changed", changed)
        .put("migration", migration)
        .put(
            "granted",
            new JsonObject()
                .put("max_amount_before", grantedBefore)
                .put("max_amount_after", grantedAfter)
                .put("accepted_amount_before", acceptedBefore)
                .put("accepted_amount_after", acceptedAfter))
        .put("samples", sampleJson);
  }

  private static boolean accepts(Recommendation r) {
    return r == Recommendation.ACCEPT || r == Recommendation.ACCEPT_WITH_MONITORING;
  }
}
