package io.scoregate.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One log line per answered request: method, path, status, latency, client address and request id.
 * Bodies, keys and tokens are never logged.
 */
public final class AccessLogHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger("scoregate.access");

  @Override
  public void handle(RoutingContext ctx) {
    long start = System.nanoTime();
    ctx.addEndHandler(
        ignored -> {
          if (LOG.isInfoEnabled()) {
            RequestContext request = RequestContext.from(ctx);
            Principal caller = request.principal();
            // Typed locals: addKeyValue also takes a Supplier.
            String tenant = caller == null ? null : caller.tenantId();
            String keyId = caller == null ? null : caller.credentialId();
            LOG.atInfo()
                .addKeyValue("request_id", request.requestId())
                .addKeyValue("tenant", tenant)
                .addKeyValue("key_id", keyId)
                .addKeyValue("method", ctx.request().method().name())
                .addKeyValue("path", ctx.request().path())
                .addKeyValue("status", ctx.response().getStatusCode())
                .addKeyValue("latency_ms", (System.nanoTime() - start) / 1_000_000.0)
                .addKeyValue(
                    "client_ip",
                    ctx.request().remoteAddress() == null
                        ? null
                        : ctx.request().remoteAddress().hostAddress())
                .log("request");
          }
        });
    ctx.next();
  }
}
