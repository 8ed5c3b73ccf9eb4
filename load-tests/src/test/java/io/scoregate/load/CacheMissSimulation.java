package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;

/**
 * (b) Cache-miss heavy: companies drawn uniformly over a portfolio of 100,000 or more, against a
 * freshly started gateway (cold cache): almost every decision reads Postgres, runs the model and
 * its explanation, and journals.
 */
public class CacheMissSimulation extends Simulation {

  private final List<String> ids = Load.ids();

  // The warm-up draws from one half of the companies and the plateau from the other, so the
  // warm-up fills the score cache with none of the measured companies.
  ScenarioBuilder misses(String suffix) {
    return scenario("cache-miss decision" + suffix)
        .feed(Load.uniform(Load.half(ids, suffix), Load.apiKeys()))
        .exec(
            Load.decision("decision" + suffix)
                .check(status().is(200), jsonPath("$.decision_id").exists()));
  }

  {
    setUp(Load.plateau(this::misses, Load.RATE))
        .protocols(Load.protocol())
        .assertions(Load.gate("decision"));
  }
}
