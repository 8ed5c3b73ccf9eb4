package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (c) A partner that runs into its rate limit: one tenant (rate and burst set by the script, e.g.
 * 20/s with a burst of 40) called at a higher constant rate. Every answer, 200 or 429, must carry
 * the quota headers; every 429 a Retry-After and a problem naming the policy. A 429 is a correct
 * answer here, so it counts as a success; the run prints how many calls got through against what
 * the plan allows.
 */
public class RateLimitSimulation extends Simulation {

  private final AtomicLong allowed = new AtomicLong();
  private final AtomicLong limited = new AtomicLong();
  private final List<String> keys = Load.apiKeys().subList(0, 1);

  ScenarioBuilder partner =
      scenario("partner over its limit")
          .feed(Load.uniform(Load.ids(), keys))
          .exec(
              Load.decision("decision")
                  .check(
                      status().in(200, 429).saveAs("status"),
                      header("X-RateLimit-Limit").exists(),
                      header("X-RateLimit-Remaining").exists(),
                      header("X-RateLimit-Reset").exists(),
                      header("RateLimit-Policy").exists(),
                      header("RateLimit").exists())
                  .checkIf((response, session) -> response.status().code() == 429)
                  .then(
                      header("Retry-After").exists(),
                      jsonPath("$.type").is("/problems/rate-limited"),
                      jsonPath("$.detail").exists()))
          .exec(
              session -> {
                if (session.contains("status") && session.getInt("status") == 200) {
                  allowed.incrementAndGet();
                } else if (session.contains("status")) {
                  limited.incrementAndGet();
                }
                return session;
              });

  {
    setUp(partner.injectOpen(constantUsersPerSec(Load.RATE).during(Load.DURATION_S)))
        .protocols(Load.protocol())
        .assertions(Load.gate("decision"));
  }

  @Override
  public void after() {
    double planRate = Double.parseDouble(Load.property("planRate", "0"));
    double planBurst = Double.parseDouble(Load.property("planBurst", "0"));
    System.out.printf(
        "rate limit: %d calls answered 200, %d answered 429 in %d s; the plan allows at most %.0f"
            + " (rate %.0f/s x %d s + burst %.0f)%n",
        allowed.get(),
        limited.get(),
        Load.DURATION_S,
        planRate * Load.DURATION_S + planBurst,
        planRate,
        Load.DURATION_S,
        planBurst);
  }
}
