package io.scoregate.http;

import io.scoregate.problem.ValidationException;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the contract check ({@link ContractBodies#body}) adds to a request it checks: the body
 * parsed once more (strict JSON, as {@link JsonBodies#object} does; the route parses it again)
 * and checked against the operation's schema in the served contract, for a valid body of three
 * route families and for an invalid one (its errors made field errors). Sample mode: percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ContractBodiesBenchmark {

  private static final Buffer PORTFOLIO = Buffer.buffer("{\"name\":\"Distributeurs Ouest\"}");
  private static final Buffer WEBHOOK =
      Buffer.buffer(
          "{\"url\":\"https://erp.example.com/hooks/scoregate\",\"event_types\":"
              + "[\"alert.created\",\"score.changed\"],\"description\":\"ERP\"}");
  private static final Buffer TENANT =
      Buffer.buffer(
          "{\"id\":\"acme\",\"name\":\"Acme SA\",\"rate_per_second\":50,\"burst\":100,"
              + "\"monthly_quota\":1000000,\"scopes\":[\"scoring\",\"portfolios\"]}");
  private static final Buffer INVALID_WEBHOOK =
      Buffer.buffer("{\"url\":\"ftp://x.example\",\"event_types\":[\"nope\"],\"description\":7}");

  private Vertx vertx;
  private ContractBodies contract;

  @Setup
  public void load() throws Exception {
    vertx = Vertx.vertx();
    contract = ContractBodies.served();
    contract.start(vertx).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    contract.check("createWebhook", JsonBodies.object(WEBHOOK));
    try {
      contract.check("createWebhook", JsonBodies.object(INVALID_WEBHOOK));
      throw new IllegalStateException("the contract does not check the webhook body");
    } catch (ValidationException expected) {
      // as it should
    }
  }

  @TearDown
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** POST /api/v1/portfolios: one field. */
  @Benchmark
  public JsonObject portfolio() {
    JsonObject body = JsonBodies.object(PORTFOLIO);
    contract.check("createPortfolio", body);
    return body;
  }

  /** POST /api/v1/webhooks: a URL (format and pattern), a list of enums, a text. */
  @Benchmark
  public JsonObject webhook() {
    JsonObject body = JsonBodies.object(WEBHOOK);
    contract.check("createWebhook", body);
    return body;
  }

  /** POST /admin/v1/tenants: seven fields. */
  @Benchmark
  public JsonObject tenant() {
    JsonObject body = JsonBodies.object(TENANT);
    contract.check("createTenant", body);
    return body;
  }

  /** An invalid webhook body: the 422's field errors built. */
  @Benchmark
  public Object invalidWebhook() {
    try {
      contract.check("createWebhook", JsonBodies.object(INVALID_WEBHOOK));
      return null;
    } catch (ValidationException e) {
      return e.errors();
    }
  }

  /** The strict parse alone, for scale: what the route pays for the same body anyway. */
  @Benchmark
  public JsonObject parseWebhookOnly() {
    return JsonBodies.object(WEBHOOK);
  }
}
