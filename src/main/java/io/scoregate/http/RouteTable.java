package io.scoregate.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every route a router serves, sub-routers included, as {@code METHOD /path/{param}} in the OpenAPI
 * document's notation: what the contract test compares the document with. A route for every method
 * (a static page) counts as GET; pipeline steps (no path) are left out.
 */
public final class RouteTable {

  private RouteTable() {}

  public static Set<String> of(Router router) {
    Set<String> out = new TreeSet<>();
    collect(router.getRoutes(), "", out);
    // A route for every method on a path that also has routes of its own methods is a step of
    // theirs (a body limit, a timeout), not a page.
    out.removeIf(
        r ->
            r.startsWith("ANY ")
                && out.stream().anyMatch(o -> !o.startsWith("ANY ") && o.endsWith(r.substring(3))));
    Set<String> documented = new TreeSet<>();
    out.forEach(r -> documented.add(r.startsWith("ANY ") ? "GET" + r.substring(3) : r));
    return documented;
  }

  private static void collect(List<Route> routes, String prefix, Set<String> out) {
    for (Route route : routes) {
      String path = route.getPath();
      if (path == null) {
        continue;
      }
      String full = prefix + path;
      if (route.getSubRouter() != null) {
        collect(
            route.getSubRouter().getRoutes(),
            full.endsWith("/") ? full.substring(0, full.length() - 1) : full,
            out);
        continue;
      }
      String documented = full.replaceAll(":([A-Za-z0-9_]+)", "{$1}");
      if (route.methods() == null || route.methods().isEmpty()) {
        out.add("ANY " + documented);
      } else {
        route.methods().stream().map(HttpMethod::name).forEach(m -> out.add(m + " " + documented));
      }
    }
  }
}
