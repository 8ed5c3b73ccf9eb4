package io.scoregate.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.problem.ProblemException;
import io.scoregate.support.BareRouter;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The request timeout on a bare router: calls that never answer get their 503 once their time is
 * up, each one, while calls answered in time are left alone, before, between and after them.
 */
class RequestTimeoutTest {

  private static final long TIMEOUT_MS = 300;

  private BareRouter server;

  @BeforeEach
  void start() {
    server =
        BareRouter.serve(
            vertx -> {
              Router router = Router.router(vertx);
              router.route().handler(new RequestIdHandler());
              router.route().handler(new RequestTimeout(TIMEOUT_MS));
              router.get("/fast").handler(ctx -> ctx.end("ok"));
              // Never answers: only the timeout ends it.
              router.get("/stuck").handler(ctx -> {});
              router
                  .route()
                  .failureHandler(
                      ctx -> {
                        ProblemException problem = (ProblemException) ctx.failure();
                        ctx.response().setStatusCode(problem.status()).end(problem.getMessage());
                      });
              return router;
            });
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aCallThatNeverAnswersGets503OnceItsTimeIsUp() {
    long begin = System.nanoTime();
    var answer = server.testRequest(HttpMethod.GET, "/stuck");
    long tookMs = (System.nanoTime() - begin) / 1_000_000;

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(tookMs).isGreaterThanOrEqualTo(TIMEOUT_MS);
  }

  @Test
  void everyStuckCallTimesOutAndTheCallsAnsweredInTimeAmongThemAreLeftAlone() throws Exception {
    assertThat(server.testRequest(HttpMethod.GET, "/fast").statusCode()).isEqualTo(200);
    List<CompletableFuture<Integer>> calls =
        IntStream.range(0, 12)
            .mapToObj(i -> i % 3 == 0 ? "/stuck" : "/fast")
            .map(
                path ->
                    CompletableFuture.supplyAsync(
                        () -> server.testRequest(HttpMethod.GET, path).statusCode()))
            .toList();
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get()).as("call %d", i).isEqualTo(i % 3 == 0 ? 503 : 200);
    }
    // The watch goes on after its calls have all ended: a later call still times out.
    assertThat(server.testRequest(HttpMethod.GET, "/stuck").statusCode()).isEqualTo(503);
    assertThat(server.testRequest(HttpMethod.GET, "/fast").statusCode()).isEqualTo(200);
  }
}
