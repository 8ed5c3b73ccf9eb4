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
    return out;
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
        out.add("GET " + documented);
      } else {
        route.methods().stream().map(HttpMethod::name).forEach(m -> out.add(m + " " + documented));
      }
    }
  }
}
