package io.scoregate.reporting;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.Chromium;
import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium (Debian's, with its chromedriver) against a real
 * gateway: sign in with an API key, see the charts drawn and the figures of the API, open a
 * company, switch to French; no console errors; a screenshot in target/.
 */
class DashboardIT {

  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-11-20T09:00:00Z"));
  private static final List<String> CHARTS =
      List.of(
          "chart-levels",
          "chart-grades",
          "chart-evolution",
          "chart-sectors",
          "chart-regions",
          "chart-matrix");
  private static TestGateway gateway;
  private static UUID portfolio;
  private static ChromeDriver browser;
  private static Path profile;

  @BeforeAll
  static void start() throws Exception {
    TestPostgres.ensureSchema();
    gateway =
        TestGateway.start(
            CLOCK,
            Map.of(
                "SCOREGATE_REPORTING_SNAPSHOT_CHECK_MS",
                "500",
                "SCOREGATE_HTTP_REQUEST_TIMEOUT_MS",
                "15000",
                "SCOREGATE_MODEL_REQUEST_TIMEOUT_MS",
                "10000"));
    TestPostgres.execute(
        "UPDATE tenants SET scopes = '{scoring,portfolios}' WHERE id = '"
            + gateway.tenantId()
            + "'");
    portfolio = TestPortfolios.create(gateway.tenantId(), "Distributeurs");
    TestPortfolios.member(
        portfolio, "D-001", "46.90Z", "Bretagne", "420000.00", 0.012, 58, "G5", "medium", 60, 0.01);
    TestPortfolios.member(
        portfolio, "D-002", "10.71C", "Occitanie", "95000.00", 0.004, 80, "G3", "low", 30, 0.004);
    String weak =
        TestPortfolios.member(
            portfolio,
            "D-003",
            "43.21A",
            "Bretagne",
            "1500000.00",
            0.09,
            22,
            "G8",
            "very_high",
            90,
            0.02);
    TestPostgres.execute(
        "INSERT INTO score_history (company_id, score, pd, grade, risk_level, model_version,"
            + " cause, recorded_at) VALUES ("
            + TestPortfolios.companyId(weak)
            + ", 61, 0.011, 'G5', 'medium', 'test-model', 'initial', '2026-11-01T00:00:00Z'), ("
            + TestPortfolios.companyId(weak)
            + ", 22, 0.09, 'G8', 'very_high', 'test-model', 'scheduled', '2026-11-18T00:00:00Z')",
        "INSERT INTO alerts (id, tenant_id, portfolio_id, rule, company_id, reference, exposure,"
            + " score_before, score_after, level_before, level_after, cause, created_at) VALUES ('"
            + UUID.randomUUID()
            + "', '"
            + gateway.tenantId()
            + "', '"
            + portfolio
            + "', 'score_below', "
            + TestPortfolios.companyId(weak)
            + ", 'D-003', 1500000.00, 61, 22, 'medium', 'very_high', 'scheduled',"
            + " '2026-11-18T00:00:00Z')");

    profile = Files.createTempDirectory("scoregate-chromium");
    browser = Chromium.start(profile);
    browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.quit();
    }
    gateway.close();
  }

  private static WebDriverWait waiting() {
    return new WebDriverWait(browser, Duration.ofSeconds(60));
  }

  private static JsonObject api(String path) {
    var r = gateway.get("/api/v1/portfolios/" + portfolio + path);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new JsonObject(r.body());
  }

  @Test
  void signInAndSeeTheBook() throws Exception {
    browser.get(gateway.uri("/dashboard").toString());
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    browser.findElement(By.id("api-key")).sendKeys(gateway.apiKey());
    browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    waiting()
        .until(
            d ->
                portfolio
                    .toString()
                    .equals(d.findElement(By.tagName("body")).getDomAttribute("data-loaded")));

    for (String chart : CHARTS) {
      WebElement el = browser.findElement(By.id(chart));
      assertThat(el.getDomAttribute("data-ready")).as(chart).isEqualTo("true");
      assertThat(el.findElements(By.tagName("canvas"))).as(chart).isNotEmpty();
    }
    JsonObject summary = api("/summary");
    assertThat(value("kpi-members")).isEqualTo(summary.getInteger("members").toString());
    assertThat(value("kpi-exposure"))
        .isEqualTo(summary.getString("exposure"))
        .isEqualTo("2015000.00");
    assertThat(value("kpi-el")).isEqualTo(summary.getString("expected_loss"));
    JsonObject regulatory = api("/regulatory");
    assertThat(value("kpi-rwa")).isEqualTo(regulatory.getJsonObject("basel3").getString("rwa"));
    assertThat(value("kpi-ecl"))
        .isEqualTo(regulatory.getJsonObject("ifrs9").getString("general_ecl"));
    assertThat(Double.parseDouble(value("hhi-sector")))
        .isEqualTo(api("/concentration?by=section").getDouble("hhi"));

    String largest = browser.findElement(By.cssSelector("#largest tbody")).getText();
    assertThat(largest.indexOf("D-003")).isLessThan(largest.indexOf("D-001"));
    assertThat(browser.findElement(By.cssSelector("#alerts tbody")).getText())
        .contains("score_below", "61 → 22");
    assertThat(browser.findElement(By.cssSelector("#movers tbody")).getText()).contains("D-003");

    String loadedMs = browser.findElement(By.tagName("body")).getDomAttribute("data-loaded-ms");
    Files.writeString(Path.of("target", "dashboard-first-load-ms.txt"), loadedMs + "\n");
    Files.write(
        Path.of("target", "dashboard.png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

    // A company opens with its score, reasons and history.
    browser.findElement(By.cssSelector("#largest tbody a.company")).click();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("company")));
    waiting()
        .until(
            d ->
                "true".equals(d.findElement(By.id("chart-history")).getDomAttribute("data-ready")));
    assertThat(browser.findElement(By.id("company-name")).getText()).isEqualTo("Company D-003");

    // French labels.
    browser.findElement(By.id("lang-fr")).click();
    waiting()
        .until(
            d -> d.findElement(By.cssSelector("[data-i18n=exposure]")).getText().equals("Encours"));
    assertThat(browser.findElement(By.cssSelector("[data-i18n=matrix]")).getText())
        .isEqualTo("Risque × encours");
    Files.write(
        Path.of("target", "dashboard-fr.png"),
        ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));

    List<LogEntry> severe =
        browser.manage().logs().get(LogType.BROWSER).getAll().stream()
            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
            .toList();
    assertThat(severe).as("console errors").isEmpty();
  }

  @Test
  void aRefusedKeyStaysOnTheSignInForm() {
    browser.get(gateway.uri("/dashboard/").toString());
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id("api-key")));
    browser.findElement(By.id("api-key")).sendKeys("sgk_nobody.nothing");
    browser.findElement(By.cssSelector("#key-form button[type=submit]")).click();
    waiting().until(d -> !d.findElement(By.id("sign-in-error")).getText().isEmpty());
    assertThat(browser.findElement(By.id("book")).isDisplayed()).isFalse();
    assertThat(browser.executeScript("return sessionStorage.getItem('scoregate.apiKey')")).isNull();
    // Drop the 401 the refusal logged, so the other test sees only its own console.
    browser.manage().logs().get(LogType.BROWSER);
  }

  private static String value(String id) {
    return browser.findElement(By.id(id)).getDomAttribute("data-value");
  }
}
