package io.scoregate.http;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The methods a path really has, read from the router and its sub-routers, for the {@code Allow}
 * header of a 405. Read when a 405 happens (rare), so it is never out of date.
 */
final class AllowedMethods {

  private static final Pattern PARAM = Pattern.compile(":[A-Za-z0-9_]+");

  private final Router router;

  AllowedMethods(Router router) {
    this.router = router;
  }

  /** The methods of the routes whose path matches, in alphabetical order. */
  Set<String> of(String path) {
    Set<String> methods = new TreeSet<>();
    collect(router.getRoutes(), "", path, methods);
    return methods;
  }

  private static void collect(List<Route> routes, String prefix, String path, Set<String> out) {
    for (Route route : routes) {
      String routePath = route.getPath();
      if (routePath == null) {
        continue; // a handler for every path (pipeline steps), or a raw regex route
      }
      String full = prefix + routePath;
      if (route.getSubRouter() != null) {
        String mount = full.endsWith("/") ? full.substring(0, full.length() - 1) : full;
        if (path.startsWith(mount + "/")) {
          collect(route.getSubRouter().getRoutes(), mount, path, out);
        }
      } else if (route.methods() != null && matches(route, full, path)) {
        route.methods().stream().map(HttpMethod::name).forEach(out::add);
      }
    }
  }

  private static boolean matches(Route route, String routePath, String path) {
    if (!route.isExactPath()) {
      return path.startsWith(routePath);
    }
    if (routePath.indexOf(':') < 0) {
      return routePath.equals(path);
    }
    // A path parameter matches one segment, as vertx-web matches it.
    StringBuilder regex = new StringBuilder();
    Matcher param = PARAM.matcher(routePath);
    int last = 0;
    while (param.find()) {
      regex.append(Pattern.quote(routePath.substring(last, param.start()))).append("[^/]+");
      last = param.end();
    }
    regex.append(Pattern.quote(routePath.substring(last)));
    return path.matches(regex.toString());
  }
}
