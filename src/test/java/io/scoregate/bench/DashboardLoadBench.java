package io.scoregate.bench;

import io.scoregate.support.Chromium;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * A benchmark, not a test: the dashboard's first load in headless Chromium (Debian's, with its
 * chromedriver) against a running gateway. Each load opens {@code /dashboard/?portfolio=<id>} with
 * the API key already in the tab's sessionStorage (set before the page's scripts run, as a
 * signed-in tab has it), and reads from the browser's own performance timeline, from navigation
 * start: the document's arrival, the first frame of every chart ({@code scoregate:charts-rendered})
 * and every chart drawn, animations ended ({@code scoregate:charts-drawn}), both marked by the
 * page. Cold: a new browser with a fresh profile (empty HTTP cache) for each load; warm: one
 * browser, the same page loaded again. Prints each load, then p50 and max of each.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-cp.txt) \
 *   io.scoregate.bench.DashboardLoadBench http://127.0.0.1:18090 KEY PORTFOLIO [LOADS]
 * </pre>
 *
 * {@code scripts/bench-dashboard} starts a gateway with the demo data and runs it.
 */
public final class DashboardLoadBench {

  private static final String TIMELINE =
      "const done = arguments[arguments.length - 1];"
          + "const read = () => {"
          + "  const m = (n) => { const e = performance.getEntriesByName(n); return e.length ?"
          + "    e[0].startTime : null; };"
          + "  const nav = performance.getEntriesByType('navigation')[0];"
          + "  return {responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd,"
          + "    load: nav.loadEventEnd, rendered: m('scoregate:charts-rendered'),"
          + "    drawn: m('scoregate:charts-drawn'), loaded: document.body.dataset.loaded || null};"
          + "};"
          + "const poll = () => { const t = read();"
          + "  if (t.drawn != null && t.load > 0) { done(JSON.stringify(t)); }"
          + "  else { setTimeout(poll, 100); } };"
          + "poll();";

  private DashboardLoadBench() {}

  public static void main(String[] args) throws Exception {
    String base = args[0];
    String key = args[1];
    String portfolio = args[2];
    int loads = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    String page = base + "/dashboard/?portfolio=" + portfolio;

    System.out.println("portfolio " + portfolio + ": " + size(base, key, portfolio));

    List<JsonObject> cold = new ArrayList<>();
    for (int i = 0; i < loads; i++) {
      Path profile = Files.createTempDirectory("scoregate-bench-chromium");
      ChromeDriver browser = browser(profile, key);
      try {
        cold.add(load(browser, page, portfolio, "cold " + (i + 1)));
      } finally {
        browser.quit();
        delete(profile);
      }
    }
    List<JsonObject> warm = new ArrayList<>();
    Path profile = Files.createTempDirectory("scoregate-bench-chromium");
    ChromeDriver browser = browser(profile, key);
    try {
      // The first load fills the cache; the measured ones follow it.
      load(browser, page, portfolio, "warm-up");
      for (int i = 0; i < loads; i++) {
        warm.add(load(browser, page, portfolio, "warm " + (i + 1)));
      }
      List<LogEntry> severe =
          browser.manage().logs().get(LogType.BROWSER).getAll().stream()
              .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
              .toList();
      if (!severe.isEmpty()) {
        System.out.println("console errors: " + severe);
      }
    } finally {
      browser.quit();
      delete(profile);
    }
    summary("cold", cold);
    summary("warm", warm);
  }

  private static ChromeDriver browser(Path profile, String key) {
    ChromeDriver browser = Chromium.start(profile);
    // Signed in: the key is in the tab's sessionStorage before the page's scripts run.
    browser.executeCdpCommand(
        "Page.addScriptToEvaluateOnNewDocument",
        Map.of(
            "source",
            "try { if (location.pathname.startsWith('/dashboard')) sessionStorage.setItem("
                + "'scoregate.apiKey', "
                + js(key)
                + "); } catch (e) {}"));
    return browser;
  }

  private static String js(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static JsonObject load(ChromeDriver browser, String page, String portfolio, String name) {
    browser.get(page);
    JsonObject t = new JsonObject((String) browser.executeAsyncScript(TIMELINE));
    if (!portfolio.equals(t.getString("loaded"))) {
      throw new IllegalStateException(name + ": the page did not show the portfolio: " + t);
    }
    System.out.printf(
        "%-8s document %6.0f ms  DOMContentLoaded %6.0f ms  load %6.0f ms  charts rendered %6.0f"
            + " ms  charts drawn %6.0f ms%n",
        name,
        t.getDouble("responseEnd"),
        t.getDouble("domContentLoaded"),
        t.getDouble("load"),
        t.getDouble("rendered"),
        t.getDouble("drawn"));
    return t;
  }

  private static void summary(String name, List<JsonObject> loads) {
    for (String field : List.of("responseEnd", "load", "rendered", "drawn")) {
      List<Double> values =
          loads.stream().map(t -> t.getDouble(field)).sorted(Comparator.naturalOrder()).toList();
      double p50 =
          values.size() % 2 == 1
              ? values.get(values.size() / 2)
              : (values.get(values.size() / 2 - 1) + values.get(values.size() / 2)) / 2;
      System.out.printf(
          "%s %-11s p50 %6.0f ms  max %6.0f ms  (%d loads)%n",
          name, field, p50, values.get(values.size() - 1), values.size());
    }
  }

  /** The portfolio's members and what the page draws from them, from the API. */
  private static String size(String base, String key, String portfolio) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    JsonObject summary =
        new JsonObject(
            http.send(
                    HttpRequest.newBuilder(
                            URI.create(base + "/api/v1/portfolios/" + portfolio + "/summary"))
                        .header("X-API-Key", key)
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body());
    return summary.getInteger("members")
        + " members, "
        + summary.getValue("scored")
        + " scored, exposure "
        + summary.getString("exposure");
  }

  private static void delete(Path dir) throws Exception {
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
