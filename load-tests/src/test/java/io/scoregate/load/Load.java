package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What every simulation shares: the gateway's address, the tenants' API keys, the company ids, the
 * arrival rate and duration (system properties set by scripts/load-test), the feeders, and the
 * gate: p99 < 500 ms and more than 99.9 % successful requests, plus the project's own p99 target
 * when {@code targetP99Ms} is given.
 */
final class Load {

  private Load() {}

  static String property(String name, String fallback) {
    String value = System.getProperty(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  static final String BASE_URL = property("baseUrl", "http://127.0.0.1:8080");

  /** Requests per second at the plateau (open model: arrivals do not wait for answers). */
  static final double RATE = Double.parseDouble(property("rate", "200"));
  static final int DURATION_S = Integer.parseInt(property("duration", "60"));
  static final int RAMP_S = Integer.parseInt(property("ramp", "10"));
  /** Seconds at the plateau rate after the ramp and before the measured plateau. */
  static final int WARMUP_S = Integer.parseInt(property("warmup", "20"));

  /** Appended to request names during the ramp and the warm-up, which the gate leaves out. */
  static final String WARM_UP = " (warm-up)";

  static List<String> apiKeys() {
    return List.of(property("apiKeys", "").split(",")).stream()
        .filter(k -> !k.isBlank())
        .toList();
  }

  static List<String> ids() {
    try {
      return Files.readAllLines(Path.of(property("idsFile", "target/ids.txt"))).stream()
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("idsFile not readable", e);
    }
  }

  /** One gateway, or several (comma-separated): arrivals go round-robin over them. */
  static HttpProtocolBuilder protocol() {
    return http.baseUrls(List.of(BASE_URL.split(",")))
        .acceptHeader("application/json")
        .contentTypeHeader("application/json")
        .shareConnections();
  }

  /**
   * The arrivals of one scenario at {@code rate} per second: a ramp and a warm-up at the rate,
   * then the measured plateau. The ramp and warm-up requests carry names ending in {@link #WARM_UP}
   * and stay out of the gate: they are there because the load generator's own JVM warms up on the
   * same two cores as the gateway, and its first seconds showed as the gateway's tail (access log
   * of a 2,000/s run: p99 over 100 ms in its first 15 s, 2-10 ms a second after). Gatling's report
   * shows both.
   *
   * @param scenario the scenario whose requests' names end with the given suffix
   */
  static List<PopulationBuilder> plateau(
      Function<String, ScenarioBuilder> scenario, double rate) {
    return List.of(
        scenario
            .apply(WARM_UP)
            .injectOpen(
                rampUsersPerSec(1).to(rate).during(RAMP_S),
                constantUsersPerSec(rate).during(WARMUP_S)),
        scenario
            .apply("")
            .injectOpen(
                nothingFor(RAMP_S + WARMUP_S), constantUsersPerSec(rate).during(DURATION_S)));
  }

  /**
   * The gate on each measured request: p99 < 500 ms and more than 99.9 % successes, and with
   * {@code targetP99Ms} the project's own p99 target.
   */
  static List<Assertion> gate(String... measuredRequests) {
    List<Assertion> gate = new ArrayList<>();
    String target = System.getProperty("targetP99Ms");
    for (String request : measuredRequests) {
      gate.add(details(request).responseTime().percentile(99.0).lt(500));
      gate.add(details(request).successfulRequests().percent().gt(99.9));
      if (target != null && !target.isBlank()) {
        gate.add(details(request).responseTime().percentile(99.0).lt(Integer.parseInt(target)));
      }
    }
    return gate;
  }

  /** The ids of the warm-up (first half) or of the measured plateau (second half). */
  static List<String> half(List<String> ids, String suffix) {
    int middle = ids.size() / 2;
    return suffix.isEmpty() ? ids.subList(middle, ids.size()) : ids.subList(0, middle);
  }

  /** Endless: a company drawn uniformly, and one of the tenants' keys. */
  static Iterator<Map<String, Object>> uniform(List<String> ids, List<String> keys) {
    return Stream.generate(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              return Map.<String, Object>of(
                  "siren", ids.get(random.nextInt(ids.size())),
                  "apiKey", keys.get(random.nextInt(keys.size())),
                  "amount", 1000 * (1 + random.nextInt(200)));
            })
        .iterator();
  }

  /**
   * Endless: companies drawn Zipf-like (rank k with weight 1 / k^s, ranks shuffled once with a
   * fixed seed), as checkout traffic concentrates on a few large suppliers and customers.
   */
  static Iterator<Map<String, Object>> zipf(List<String> ids, List<String> keys, double s) {
    List<String> ranked = new ArrayList<>(ids);
    Collections.shuffle(ranked, new Random(42));
    double[] cdf = new double[ranked.size()];
    double total = 0;
    for (int k = 0; k < cdf.length; k++) {
      total += 1 / Math.pow(k + 1, s);
      cdf[k] = total;
    }
    double sum = total;
    return Stream.generate(
            () -> {
              ThreadLocalRandom random = ThreadLocalRandom.current();
              int at = Arrays.binarySearch(cdf, random.nextDouble() * sum);
              int k = at >= 0 ? at : Math.min(-at - 1, cdf.length - 1);
              return Map.<String, Object>of(
                  "siren", ranked.get(k),
                  "apiKey", keys.get(random.nextInt(keys.size())),
                  "amount", 1000 * (1 + random.nextInt(200)));
            })
        .iterator();
  }

  static final String DECISION_BODY =
      "{\"siren\":\"#{siren}\",\"amount\":#{amount},\"payment_term\":30}";

  /** POST /api/v1/scoring for the fed company, with the fed tenant's key. */
  static HttpRequestActionBuilder decision(String name) {
    return http(name)
        .post("/api/v1/scoring")
        .header("X-API-Key", "#{apiKey}")
        .body(StringBody(DECISION_BODY));
  }
}
