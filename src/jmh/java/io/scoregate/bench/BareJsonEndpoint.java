package io.scoregate.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.json.JsonObject;

/**
 * The ceiling the gateway is compared with (scripts/bench): a bare Vert.x JSON POST endpoint on
 * the same machine, one verticle per core, that parses the request body and answers a small JSON
 * object, with nothing else: no routing, authentication, quota, cache, model or journal.
 *
 * <pre>java -cp ... io.scoregate.bench.BareJsonEndpoint PORT</pre>
 */
public final class BareJsonEndpoint extends VerticleBase {

  private final int port;

  private BareJsonEndpoint(int port) {
    this.port = port;
  }

  @Override
  public Future<?> start() {
    return vertx
        .createHttpServer()
        .requestHandler(
            request ->
                request
                    .body()
                    .onSuccess(
                        body -> {
                          JsonObject in = body.length() == 0 ? new JsonObject() : body.toJsonObject();
                          JsonObject out =
                              new JsonObject()
                                  .put("siren", in.getString("siren"))
                                  .put("score", 72)
                                  .put("risk_level", "medium")
                                  .put("recommendation", "accept_with_monitoring");
                          request
                              .response()
                              .putHeader("Content-Type", "application/json")
                              .end(out.toBuffer());
                        })
                    .onFailure(e -> request.response().setStatusCode(400).end()))
        .listen(port);
  }

  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18081;
    Vertx vertx = Vertx.vertx();
    vertx
        .deployVerticle(
            () -> new BareJsonEndpoint(port),
            new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors()))
        .onSuccess(id -> System.out.println("bare JSON endpoint on port " + port))
        .onFailure(
            e -> {
              System.err.println("bare JSON endpoint did not start: " + e.getMessage());
              vertx.close();
            });
  }
}
