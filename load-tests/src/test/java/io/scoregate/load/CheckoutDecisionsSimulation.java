package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;

/**
 * (a) Checkout decisions with cached scores: several tenants' keys, companies drawn Zipf-like over
 * the demo portfolio (the script warms the score cache first), a constant arrival rate.
 */
public class CheckoutDecisionsSimulation extends Simulation {

  private final List<String> ids = Load.ids();

  ScenarioBuilder checkout(String suffix) {
    return scenario("checkout decision" + suffix)
        .feed(Load.zipf(ids, Load.apiKeys(), Double.parseDouble(Load.property("zipf", "1.1"))))
        .exec(
            Load.decision("decision" + suffix)
                .check(
                    status().is(200),
                    jsonPath("$.decision_id").exists(),
                    jsonPath("$.recommendation").exists(),
                    header("X-RateLimit-Remaining").exists()));
  }

  {
    setUp(Load.plateau(this::checkout, Load.RATE))
        .protocols(Load.protocol())
        .assertions(Load.gate("decision"));
  }
}
