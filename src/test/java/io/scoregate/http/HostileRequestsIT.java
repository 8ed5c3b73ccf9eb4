package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.RawHttp;
import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.scoregate.support.TestTenants;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests as an attacker or a careless partner sends them, on a bare socket so that nothing is
 * corrected on the way: every route the router serves, with hostile path parameters, query strings,
 * headers, bodies and framing, from a seeded generator (the seed and the count are system
 * properties {@code scoregate.fuzz.seed} and {@code scoregate.fuzz.requests}; a failure names the
 * seed and the request). Whatever the request, the answer is never a 5xx, every error is an RFC
 * 9457 problem, and no body shows a stack trace or an exception's name.
 */
class HostileRequestsIT {

  private static final long SEED = Long.getLong("scoregate.fuzz.seed", 20261201L);
  private static final int REQUESTS = Integer.getInteger("scoregate.fuzz.requests", 3000);
  private static final String SCOPES = "scoring,admin,portfolios,events:write,webhooks";

  private static TestGateway gateway;
  private static int port;
  private static String tenant;
  private static String key;
  private static String siren;
  private static String portfolio;
  private static String webhook;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    siren = TestCompanies.newSiren();
    TestCompanies.insertHealthy(siren, "Hostile Requests SAS");
    gateway =
        TestGateway.start(
            new ManualClock(Instant.parse("2026-06-15T10:00:00Z")),
            Map.of(
                "SCOREGATE_WEBHOOK_ALLOW_HTTP", "true",
                "SCOREGATE_WEBHOOK_SSRF_ALLOW_LIST", "127.0.0.1/32"));
    port = gateway.config().http().port();
    tenant = "fuzz" + System.nanoTime();
    key = TestTenants.create(gateway.config(), tenant, SCOPES, 1_000_000, 100_000_000);
    portfolio = created("/api/v1/portfolios", "{\"name\":\"Fuzzed book\"}");
    webhook =
        created(
            "/api/v1/webhooks",
            "{\"url\":\"http://127.0.0.1:9/hooks\",\"event_types\":[\"alert.created\"]}");
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void noHostileRequestGetsA5xxOrATrace() {
    Random random = new Random(SEED);
    List<String> routes = new ArrayList<>(gateway.gateway().routes());
    List<String> failures = new ArrayList<>();
    int problems = 0;
    for (int i = 0; i < REQUESTS; i++) {
      Hostile request = generate(random, routes);
      RawHttp.Answer answer = RawHttp.exchange(port, request.bytes(), 5_000);
      String wrong = judge(answer, request.method().equals("HEAD"));
      if (wrong != null) {
        failures.add("#" + i + " " + request.describe() + " -> " + wrong);
      }
      if (answer.status() >= 400) {
        problems++;
      }
    }
    // The figure the robustness claim rests on, in the suite's output.
    System.out.printf(
        "hostile requests: seed %d, %d sent, %d answered 4xx, %d wrong (5xx, no answer, no"
            + " problem or a trace)%n",
        SEED, REQUESTS, problems, failures.size());
    assertThat(failures)
        .as("seed %d, %d requests, %d answered 4xx", SEED, REQUESTS, problems)
        .isEmpty();
    // The generator is hostile enough to be refused often, and tame enough to get through too.
    assertThat(problems).isBetween(REQUESTS / 4, REQUESTS - REQUESTS / 20);
  }

  @Test
  void requestsHttpItselfCallsMalformedAreProblemsToo() {
    String auth = "X-API-Key: " + key + "\r\nContent-Type: application/json\r\n";
    // Refused in the router, a request leaves its connection open for the next; these ask for it
    // to be closed. The others are refused before the router or with a body left unread: the
    // server closes their connection by itself.
    String close = "Connection: close\r\n";
    Map<String, Integer> cases =
        Map.ofEntries(
            Map.entry("GET /nope/%zz HTTP/1.1\r\nHost: x\r\n" + close + "\r\n", 400),
            Map.entry(
                "GET /api/v1/decisions/%zz HTTP/1.1\r\nHost: x\r\n" + close + auth + "\r\n", 400),
            Map.entry(
                "GET /api/v1/decisions/ab%00cd HTTP/1.1\r\nHost: x\r\n" + close + auth + "\r\n",
                400),
            Map.entry(
                "GET /api/v1/portfolios?cursor=%00 HTTP/1.1\r\nHost: x\r\n" + close + auth + "\r\n",
                400),
            Map.entry("GET /health/live HTTP/1.1\r\n\r\n", 400),
            Map.entry("GET /health/live HTTP/1.1\r\nHost:\r\n\r\n", 400),
            Map.entry("GET /health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
            Map.entry(
                "POST /api/v1/scoring HTTP/1.1\r\nHost: x\r\nExpect: nonsense\r\n"
                    + close
                    + auth
                    + "Content-Length: 2\r\n\r\n{}",
                417),
            // A body shorter than its Content-Length, a chunked body without its last chunk.
            Map.entry(
                "POST /api/v1/scoring HTTP/1.1\r\nHost: x\r\n"
                    + auth
                    + "Content-Length: 100\r\n\r\n{\"siren\":",
                408),
            Map.entry(
                "POST /api/v1/scoring HTTP/1.1\r\nHost: x\r\n"
                    + auth
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\n{\"sir\r\n",
                408),
            Map.entry("GARBAGE\r\n\r\n", 400),
            Map.entry("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
            Map.entry(
                "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(20_000) + "\r\n\r\n", 431));
    cases.forEach(
        (request, status) -> {
          RawHttp.Answer answer =
              RawHttp.exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), 5_000);
          assertThat(answer.status()).as(shorten(request)).isEqualTo(status);
          assertThat(answer.isProblem()).as(shorten(request)).isTrue();
          assertThat(new JsonObject(answer.body()).getInteger("status")).isEqualTo(status);
          assertThat(answer.timedOut()).as("connection closed after " + shorten(request)).isFalse();
        });
  }

  /** What is wrong with an answer, or null. */
  private static String judge(RawHttp.Answer answer, boolean head) {
    if (answer.status() == 0) {
      return "no answer" + (answer.timedOut() ? " (timed out)" : "");
    }
    if (answer.status() >= 500) {
      return answer.status() + " " + shorten(answer.body());
    }
    if (answer.status() >= 400 && !answer.isProblem()) {
      return answer.status() + " without a problem body: " + shorten(answer.head());
    }
    for (String trace : List.of("\tat ", "Exception", ".java:", "Caused by")) {
      if (answer.body().contains(trace)) {
        return answer.status() + " shows '" + trace.trim() + "': " + shorten(answer.body());
      }
    }
    if (!head && answer.status() >= 400 && answer.body().isEmpty()) {
      return answer.status() + " with an empty body";
    }
    return null;
  }

  // --- The generator ----------------------------------------------------------------------------

  private static final List<String> METHODS =
      List.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "BREW");

  /** Path segments an attacker tries, raw as they go on the wire. */
  private static final List<String> SEGMENTS =
      List.of(
          "%zz",
          "%",
          "%4",
          "%00",
          "%0a",
          "a%00b",
          "%C0%AF",
          "%FF%FE",
          "%E2%80%AE",
          "..",
          "%2e%2e",
          "a%2Fb",
          "%252e",
          "' OR 1=1--",
          "%27%20OR%201%3D1--",
          "1;DROP TABLE tenants",
          "null",
          "-1",
          "0",
          "99999999999999999999",
          "1e309",
          "NaN",
          "%F0%9F%92%A3",
          "\u00e9",
          "%C3%A9",
          "${jndi:ldap://x}",
          "{{7*7}}",
          "<script>",
          "%3Cscript%3E",
          "FR",
          "DE",
          "000000018",
          "123456789",
          "00000000000000",
          "aaaa-bbbb",
          "11111111-1111-1111-1111-111111111111",
          "x".repeat(300),
          "x".repeat(3000),
          "~",
          "*",
          "%2A",
          "-",
          "_");

  private static final List<String> QUERY_NAMES =
      List.of(
          "limit",
          "cursor",
          "format",
          "days",
          "status",
          "from",
          "to",
          "as_of",
          "score_below",
          "level",
          "since",
          "until",
          "q",
          "by",
          "page",
          "kind",
          "sort");

  private static final List<String> CONTENT_TYPES =
      List.of(
          "application/json",
          "application/json; charset=utf-8",
          "application/x-ndjson",
          "text/csv",
          "multipart/form-data; boundary=zz",
          "application/json; charset=latin1",
          "text/plain",
          "*/*",
          ";;;",
          "application/problem+json");

  private static final List<String> ACCEPTS =
      List.of("*/*", "application/json", "text/csv", "application/x-ndjson", "text/html", "??");

  record Hostile(String method, String target, byte[] bytes) {
    String describe() {
      return method + " " + shorten(target) + " (" + bytes.length + " bytes)";
    }
  }

  private static Hostile generate(Random random, List<String> routes) {
    String route = routes.get(random.nextInt(routes.size()));
    String method = route.substring(0, route.indexOf(' '));
    String path = route.substring(route.indexOf(' ') + 1);
    if (random.nextInt(10) == 0) {
      method = pick(random, METHODS);
    }
    path = substitute(random, path);
    if (random.nextInt(12) == 0) {
      path = path + "/" + pick(random, SEGMENTS);
    }
    StringBuilder target = new StringBuilder(path);
    if (random.nextInt(5) < 2) {
      int params = 1 + random.nextInt(3);
      for (int p = 0; p < params; p++) {
        target.append(p == 0 ? '?' : '&');
        target.append(pick(random, QUERY_NAMES)).append('=').append(value(random));
      }
    }
    byte[] body = body(random, method);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: 127.0.0.1\r\nConnection: close\r\n");
    int auth = random.nextInt(20);
    if (auth < 16) {
      head.append("X-API-Key: ").append(key).append("\r\n");
    } else if (auth == 16) {
      head.append("X-API-Key: ").append(pick(random, SEGMENTS)).append("\r\n");
    } else if (auth == 17) {
      head.append("Authorization: Bearer ").append(pick(random, SEGMENTS)).append("\r\n");
    } else if (auth == 18) {
      head.append("Authorization: Basic Zm9vOmJhcg==\r\n");
    }
    if (body != null || random.nextInt(4) == 0) {
      head.append("Content-Type: ").append(pick(random, CONTENT_TYPES)).append("\r\n");
    }
    if (random.nextInt(4) == 0) {
      head.append("Accept: ").append(pick(random, ACCEPTS)).append("\r\n");
    }
    if (random.nextInt(10) == 0) {
      head.append("Idempotency-Key: ").append(pick(random, SEGMENTS)).append("\r\n");
    }
    if (random.nextInt(10) == 0) {
      head.append("X-Request-Id: ").append(pick(random, SEGMENTS)).append("\r\n");
    }
    if (random.nextInt(25) == 0) {
      head.append("Expect: ")
          .append(random.nextBoolean() ? "100-continue" : "nonsense")
          .append("\r\n");
    }
    if (random.nextInt(15) == 0) {
      head.append("If-None-Match: ").append(pick(random, SEGMENTS)).append("\r\n");
    }
    if (body != null) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      out.writeBytes(body);
    }
    return new Hostile(method, target.toString(), out.toByteArray());
  }

  /** A route's parameters replaced by real ids now and then, hostile segments otherwise. */
  private static String substitute(Random random, String path) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < path.length()) {
      int open = path.indexOf('{', i);
      if (open < 0) {
        out.append(path, i, path.length());
        break;
      }
      int close = path.indexOf('}', open);
      out.append(path, i, open);
      String name = path.substring(open + 1, close);
      out.append(random.nextInt(3) == 0 ? known(random, name) : pick(random, SEGMENTS));
      i = close + 1;
    }
    return out.toString();
  }

  private static String known(Random random, String parameter) {
    return switch (parameter) {
      case "tenant" -> tenant;
      case "country" -> "FR";
      case "siren" -> siren;
      default -> pick(random, List.of(portfolio, webhook, siren, "1.1.0"));
    };
  }

  private static String value(Random random) {
    return switch (random.nextInt(6)) {
      case 0 -> Integer.toString(random.nextInt(2000) - 1000);
      case 1 -> "2026-" + random.nextInt(20) + "-" + random.nextInt(40);
      case 2 -> "";
      default -> pick(random, SEGMENTS);
    };
  }

  private static final List<Function<Random, String>> STRINGS =
      List.of(
          r -> "000000018",
          r -> siren,
          r -> pick(r, SEGMENTS),
          r -> "\\u0000",
          r -> "a\\u0000b",
          r -> "\\ud800",
          r -> "x".repeat(r.nextInt(20_000)),
          r -> "https://127.0.0.1/hook",
          r -> "http://169.254.169.254/latest/meta-data",
          r -> "score > 60 && amount < 20000",
          r -> "1/0 > 1",
          r -> "accept",
          r -> "FR",
          r -> "2026-02-30",
          r -> "2026-12-01T00:00:00Z");

  private static final List<String> FIELDS =
      List.of(
          "siren",
          "siret",
          "country",
          "id",
          "amount",
          "payment_term",
          "currency",
          "name",
          "url",
          "events",
          "reference",
          "exposure",
          "kind",
          "type",
          "date",
          "rules",
          "condition",
          "outcome",
          "recommendation",
          "scopes",
          "rate",
          "burst",
          "label",
          "mode",
          "companies",
          "threshold",
          "rule",
          "version",
          "from",
          "to",
          "items",
          "company",
          "email",
          "locale");

  /** A JSON value of up to {@code depth} levels, some of it hostile. */
  private static String json(Random random, int depth) {
    int kind = random.nextInt(depth <= 0 ? 6 : 9);
    return switch (kind) {
      case 0 -> Long.toString(random.nextLong());
      case 1 -> pick(random, List.of("18446744073709551646", "1e400", "-0", "0.1e-400", "1.5"));
      case 2 -> pick(random, List.of("true", "false", "null"));
      case 3, 4, 5 -> "\"" + STRINGS.get(random.nextInt(STRINGS.size())).apply(random) + "\"";
      case 6 -> {
        StringBuilder array = new StringBuilder("[");
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.append(i == 0 ? "" : ",").append(json(random, depth - 1));
        }
        yield array.append(']').toString();
      }
      default -> object(random, depth - 1);
    };
  }

  private static String object(Random random, int depth) {
    StringBuilder object = new StringBuilder("{");
    int n = random.nextInt(6);
    for (int i = 0; i < n; i++) {
      object.append(i == 0 ? "" : ",");
      object.append('"').append(pick(random, FIELDS)).append("\":").append(json(random, depth));
    }
    return object.append('}').toString();
  }

  private static byte[] body(Random random, String method) {
    boolean wantsBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    if (!wantsBody && random.nextInt(10) != 0) {
      return null;
    }
    String text =
        switch (random.nextInt(14)) {
          case 0 -> "";
          case 1 -> "{\"siren\":";
          case 2 -> "[" + "[".repeat(3000);
          case 3 -> "{\"a\":1 /* comment */}";
          case 4 -> "{\"a\":1,\"a\":2}";
          case 5 -> object(random, 2) + "\n" + object(random, 2) + "\nnot json\n";
          case 6 -> "siren,reference,exposure\n" + siren + ",ref\u0000,12x\n\"unclosed,\n";
          case 7 -> "{\"siren\":\"" + siren + "\",\"amount\":18446744073709551646}";
          case 8 -> null;
          default -> object(random, 3);
        };
    if (text == null) {
      // Bytes that are not UTF-8 inside a JSON string.
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      bytes.writeBytes("{\"name\":\"".getBytes(StandardCharsets.US_ASCII));
      bytes.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, 0x00});
      bytes.writeBytes("\"}".getBytes(StandardCharsets.US_ASCII));
      return bytes.toByteArray();
    }
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static <T> T pick(Random random, List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private static String shorten(String text) {
    String flat = text.replace("\r\n", " | ");
    return flat.length() > 300 ? flat.substring(0, 300) + "..." : flat;
  }

  private static String created(String path, String body) {
    RawHttp.Answer answer =
        RawHttp.exchange(
            port,
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-API-Key: "
                    + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.getBytes(StandardCharsets.UTF_8).length
                    + "\r\n\r\n"
                    + body)
                .getBytes(StandardCharsets.UTF_8),
            5_000);
    assertThat(answer.status()).as(path + ": " + answer.body()).isEqualTo(201);
    return new JsonObject(answer.body()).getString("id");
  }
}
