package io.scoregate.webhook;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code webhook listen --port 9000 --secret whsec_...}: a local receiver for trying webhooks. It
 * checks every delivery with the official Standard Webhooks library, prints one JSON line per
 * delivery (verified or not, id, type, body) and answers 204, or 401 when the signature does not
 * verify. Runs until stopped.
 */
@Command(name = "webhook", description = "Webhooks: a local receiver to try them.")
public final class WebhookListenCommand {

  /** Starts the receiver; answers a negative status: keep running. */
  @Command(
      name = "listen",
      description = "Receive webhooks, verify their signatures, print one JSON line each.")
  int listen(
      @Option(
              names = "--secret",
              required = true,
              paramLabel = "whsec_...",
              description = "the endpoint's secret")
          String secret,
      @Option(names = "--port", defaultValue = "9000") int port,
      @Option(names = "--host", defaultValue = "127.0.0.1") String host)
      throws Exception {
    if (!secret.startsWith(SecretBox.PREFIX)) {
      throw new IllegalArgumentException("--secret whsec_... is required (the endpoint's secret)");
    }
    Webhook verifier = new Webhook(secret);
    Vertx vertx = Vertx.vertx();
    HttpServer server =
        vertx
            .createHttpServer()
            .requestHandler(
                req ->
                    req.body()
                        .onSuccess(
                            body -> {
                              Map<String, List<String>> headers = new HashMap<>();
                              req.headers()
                                  .forEach(
                                      h ->
                                          headers
                                              .computeIfAbsent(
                                                  h.getKey().toLowerCase(Locale.ROOT),
                                                  k -> new ArrayList<>())
                                              .add(h.getValue()));
                              String text = body.toString();
                              JsonObject line =
                                  new JsonObject()
                                      .put("webhook-id", req.getHeader("webhook-id"))
                                      .put("webhook-timestamp", req.getHeader("webhook-timestamp"));
                              int status;
                              try {
                                verifier.verify(text, headers);
                                line.put("verified", true);
                                status = 204;
                              } catch (WebhookVerificationException e) {
                                line.put("verified", false).put("error", e.getMessage());
                                status = 401;
                              }
                              try {
                                JsonObject event = new JsonObject(text);
                                line.put("type", event.getString("type")).put("event", event);
                              } catch (RuntimeException notJson) {
                                line.put("body", text);
                              }
                              System.out.println(line.encode());
                              req.response().setStatusCode(status).end();
                            }))
            .listen(port, host)
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    System.err.println(
        "listening on http://" + host + ":" + server.actualPort() + "/ (Ctrl-C to stop)");
    return -1;
  }
}
