package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

/**
 * (a) Checkout decisions with cached scores: several tenants' keys, companies drawn Zipf-like over
 * the demo portfolio (the script warms the score cache first), a constant arrival rate.
 */
public class CheckoutDecisionsSimulation extends Simulation {

  ScenarioBuilder checkout =
      scenario("checkout decision")
          .feed(Load.zipf(Load.ids(), Load.apiKeys(), Double.parseDouble(Load.property("zipf", "1.1"))))
          .exec(
              Load.decision("decision")
                  .check(
                      status().is(200),
                      jsonPath("$.decision_id").exists(),
                      jsonPath("$.recommendation").exists(),
                      header("X-RateLimit-Remaining").exists()));

  {
    setUp(
            checkout.injectOpen(
                rampUsersPerSec(1).to(Load.RATE).during(Load.RAMP_S),
                constantUsersPerSec(Load.RATE).during(Load.DURATION_S)))
        .protocols(Load.protocol())
        .assertions(Load.gate());
  }
}
