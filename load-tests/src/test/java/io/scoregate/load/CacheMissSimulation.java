package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * (b) Cache-miss heavy: companies drawn uniformly over a portfolio of 100,000 or more, against a
 * freshly started gateway (cold cache): almost every decision reads Postgres, runs the model and
 * its explanation, and journals.
 */
public class CacheMissSimulation extends Simulation {

  ScenarioBuilder misses =
      scenario("cache-miss decision")
          .feed(Load.uniform(Load.ids(), Load.apiKeys()))
          .exec(
              Load.decision("decision")
                  .check(status().is(200), jsonPath("$.decision_id").exists()));

  {
    setUp(
            misses.injectOpen(
                rampUsersPerSec(1).to(Load.RATE).during(Load.RAMP_S),
                constantUsersPerSec(Load.RATE).during(Load.DURATION_S)))
        .protocols(Load.protocol())
        .assertions(Load.gate());
  }
}
