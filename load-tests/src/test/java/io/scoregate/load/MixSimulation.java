package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * (d) A mix: company score reads (60 % of arrivals), checkout decisions (30 %) and decision
 * journal reads (10 %: a decision, then its record read back by id), companies drawn Zipf-like
 * over the warmed demo portfolio.
 */
public class MixSimulation extends Simulation {

  private static final double S = Double.parseDouble(Load.property("zipf", "1.1"));

  ScenarioBuilder reads =
      scenario("score read")
          .feed(Load.zipf(Load.ids(), Load.apiKeys(), S))
          .exec(
              http("score")
                  .get("/api/v1/companies/FR/#{siren}/score")
                  .header("X-API-Key", "#{apiKey}")
                  .check(status().is(200), jsonPath("$.score").exists()));

  ScenarioBuilder decisions =
      scenario("decision")
          .feed(Load.zipf(Load.ids(), Load.apiKeys(), S))
          .exec(
              Load.decision("decision")
                  .check(status().is(200)));

  ScenarioBuilder audits =
      scenario("decision then journal read")
          .feed(Load.zipf(Load.ids(), Load.apiKeys(), S))
          .exec(
              Load.decision("decision (audited)")
                  .check(status().is(200), jsonPath("$.decision_id").saveAs("decisionId")))
          .exec(
              http("journal read")
                  .get("/api/v1/decisions/#{decisionId}")
                  .header("X-API-Key", "#{apiKey}")
                  .check(status().is(200), jsonPath("$.decision_id").isEL("#{decisionId}")));

  {
    double rate = Load.RATE;
    setUp(
            reads.injectOpen(
                rampUsersPerSec(1).to(0.6 * rate).during(Load.RAMP_S),
                constantUsersPerSec(0.6 * rate).during(Load.DURATION_S)),
            decisions.injectOpen(
                rampUsersPerSec(1).to(0.3 * rate).during(Load.RAMP_S),
                constantUsersPerSec(0.3 * rate).during(Load.DURATION_S)),
            audits.injectOpen(
                rampUsersPerSec(1).to(0.05 * rate).during(Load.RAMP_S),
                constantUsersPerSec(0.05 * rate).during(Load.DURATION_S)))
        .protocols(Load.protocol())
        .assertions(Load.gate());
  }
}
