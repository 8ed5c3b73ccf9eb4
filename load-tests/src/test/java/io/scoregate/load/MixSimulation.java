package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.ArrayList;
import java.util.List;

/**
 * (d) A mix: company score reads (60 % of arrivals), checkout decisions (30 %) and decision
 * journal reads (10 %: a decision, then its record read back by id), companies drawn Zipf-like
 * over the warmed demo portfolio.
 */
public class MixSimulation extends Simulation {

  private static final double S = Double.parseDouble(Load.property("zipf", "1.1"));
  private final List<String> ids = Load.ids();

  ScenarioBuilder reads(String suffix) {
    return scenario("score read" + suffix)
        .feed(Load.zipf(ids, Load.apiKeys(), S))
        .exec(
            http("score" + suffix)
                .get("/api/v1/companies/FR/#{siren}/score")
                .header("X-API-Key", "#{apiKey}")
                .check(status().is(200), jsonPath("$.score").exists()));
  }

  ScenarioBuilder decisions(String suffix) {
    return scenario("decision" + suffix)
        .feed(Load.zipf(ids, Load.apiKeys(), S))
        .exec(Load.decision("decision" + suffix).check(status().is(200)));
  }

  ScenarioBuilder audits(String suffix) {
    return scenario("decision then journal read" + suffix)
        .feed(Load.zipf(ids, Load.apiKeys(), S))
        .exec(
            Load.decision("decision (audited)" + suffix)
                .check(status().is(200), jsonPath("$.decision_id").saveAs("decisionId")))
        .exec(
            http("journal read" + suffix)
                .get("/api/v1/decisions/#{decisionId}")
                .header("X-API-Key", "#{apiKey}")
                .check(status().is(200), jsonPath("$.decision_id").isEL("#{decisionId}")));
  }

  {
    double rate = Load.RATE;
    List<PopulationBuilder> arrivals = new ArrayList<>();
    arrivals.addAll(Load.plateau(this::reads, 0.6 * rate));
    arrivals.addAll(Load.plateau(this::decisions, 0.3 * rate));
    arrivals.addAll(Load.plateau(this::audits, 0.05 * rate));
    setUp(arrivals)
        .protocols(Load.protocol())
        .assertions(Load.gate("score", "decision", "decision (audited)", "journal read"));
  }
}
