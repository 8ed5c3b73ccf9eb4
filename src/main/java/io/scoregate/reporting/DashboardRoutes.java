package io.scoregate.reporting;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the portfolio dashboard (a static page over the public API, {@code /dashboard/}) and the
 * WebJars it draws with ({@code /webjars/}), from the jar: nothing to build, nothing fetched from
 * elsewhere. The page itself needs no credentials; its API calls carry the key the user typed, kept
 * in the tab's sessionStorage.
 */
public final class DashboardRoutes {

  /** Scripts and styles from this gateway only; API calls to it only; never framed. */
  private static final String CSP =
      "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors"
          + " 'none'";

  public void mount(Router router) {
    router
        .route("/dashboard/*")
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader("Content-Security-Policy", CSP)
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("Referrer-Policy", "no-referrer");
              ctx.next();
            })
        .handler(StaticHandler.create("dashboard").setCachingEnabled(false));
    router
        .route("/webjars/*")
        .handler(StaticHandler.create("META-INF/resources/webjars").setMaxAgeSeconds(86_400));
  }
}
