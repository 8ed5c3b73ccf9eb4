package io.scoregate.load;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.http.HttpDsl.http;

import io.gatling.javaapi.core.Assertion;
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

  static List<Assertion> gate() {
    List<Assertion> gate = new ArrayList<>();
    gate.add(global().responseTime().percentile(99.0).lt(500));
    gate.add(global().successfulRequests().percent().gt(99.9));
    String target = System.getProperty("targetP99Ms");
    if (target != null && !target.isBlank()) {
      gate.add(global().responseTime().percentile(99.0).lt(Integer.parseInt(target)));
    }
    return gate;
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
