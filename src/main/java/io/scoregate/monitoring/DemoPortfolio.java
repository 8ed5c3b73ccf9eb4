package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The Quick start's demo portfolio: the demo tenant's "Demo portfolio" of the first demo companies,
 * with exposures and payment terms, and two files of recent facts about a few of its members that
 * {@code scripts/run} sends to the events API once the gateway is up: first a status fact that
 * gives each of them a score on file, then payment incidents and insolvency proceedings that move
 * it down, so alerts and movers show at once. Created once; run again, it changes nothing.
 */
public final class DemoPortfolio {

  public static final String TENANT = "demo";
  public static final String NAME = "Demo portfolio";

  private final Pool pool;
  private final PortfolioService portfolios;
  private final MemberWriter writer;
  private final Clock clock;

  public DemoPortfolio(Pool pool, Clock clock, CreditTerms terms, List<String> levels) {
    this.pool = pool;
    this.clock = clock;
    this.portfolios = new PortfolioService(pool, clock, levels);
    this.writer =
        new MemberWriter(pool, clock, terms, new AlertEvaluator(terms, levels, List.of()));
  }

  /**
   * The demo portfolio's id, created with {@code members} members when it does not exist yet; the
   * demo facts about its members are (re)written in {@code factsDir}.
   */
  public Future<String> ensure(int members, Path factsDir) {
    return pool.preparedQuery(
            "SELECT id FROM portfolios WHERE tenant_id = $1 AND name = $2 ORDER BY created_at"
                + " LIMIT 1")
        .execute(Tuple.of(TENANT, NAME))
        .compose(
            rows ->
                rows.size() > 0
                    ? Future.succeededFuture(rows.iterator().next().getUUID(0))
                    : create(members))
        .compose(
            id ->
                pool.preparedQuery(
                        "SELECT c.country, c.national_id FROM portfolio_members m"
                            + " JOIN companies c ON c.id = m.company_id WHERE m.portfolio_id = $1"
                            + " ORDER BY m.reference")
                    .execute(Tuple.of(id))
                    .map(
                        rows -> {
                          writeFacts(keys(rows), factsDir);
                          return id.toString();
                        }));
  }

  private Future<java.util.UUID> create(int members) {
    return portfolios
        .create(TENANT, NAME, "demo")
        .compose(
            p -> {
              java.util.UUID id = java.util.UUID.fromString(p.getString("id"));
              return pool.preparedQuery(
                      "SELECT c.country, c.national_id FROM companies c WHERE c.country = 'FR'"
                          + " AND EXISTS (SELECT 1 FROM financial_statements s"
                          + " WHERE s.company_id = c.id) ORDER BY c.id LIMIT $1")
                  .execute(Tuple.of(members))
                  .compose(rows -> addMembers(id, keys(rows), 0))
                  .map(id);
            });
  }

  private static List<CompanyKey> keys(io.vertx.sqlclient.RowSet<Row> rows) {
    List<CompanyKey> keys = new ArrayList<>(rows.size());
    for (Row row : rows) {
      keys.add(new CompanyKey(row.getString(0), row.getString(1)));
    }
    return keys;
  }

  private Future<Void> addMembers(java.util.UUID id, List<CompanyKey> keys, int from) {
    if (from >= keys.size()) {
      return Future.succeededFuture();
    }
    Random random = new Random(42 + from);
    List<MemberLine> lines = new ArrayList<>();
    int to = Math.min(keys.size(), from + 1000);
    for (int i = from; i < to; i++) {
      CompanyKey key = keys.get(i);
      Map<String, Object> fields =
          Map.of(
              "reference", String.format("CUST-%06d", i + 1),
              "country", key.country(),
              "id", key.nationalId(),
              "exposure", Integer.toString(500 * (10 + random.nextInt(500))),
              "payment_terms_days", Integer.toString(new int[] {30, 45, 60}[random.nextInt(3)]));
      lines.add(MemberLine.parse(i + 1, fields));
    }
    return writer.write(TENANT, id, lines).compose(results -> addMembers(id, keys, to));
  }

  /**
   * The demo facts, in the events API's NDJSON: file 1 gives a dozen members a score on file (a
   * status fact), file 2 moves them (payment incidents, insolvency proceedings, a ceased company).
   */
  private void writeFacts(List<CompanyKey> keys, Path dir) {
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    StringBuilder first = new StringBuilder();
    StringBuilder second = new StringBuilder();
    int n = 0;
    for (int i = 10; i < keys.size() && n < 12; i += 97, n++) {
      CompanyKey key = keys.get(i);
      JsonObject company =
          new JsonObject().put("country", key.country()).put("id", key.nationalId());
      first
          .append(
              new JsonObject()
                  .put("source", "demo")
                  .put("external_ref", "demo-status-" + key.nationalId())
                  .put("kind", "status_changed")
                  .put("company", company)
                  .put("status", "active")
                  .put("occurred_on", today.minusDays(20).toString()))
          .append('\n');
      JsonObject fact =
          n % 4 == 3
              ? new JsonObject()
                  .put("kind", "insolvency_proceeding")
                  .put(
                      "proceeding_kind",
                      n % 8 == 7 ? "liquidation_judiciaire" : "redressement_judiciaire")
                  .put("opened_on", today.minusDays(2).toString())
                  .put("court", "Tribunal de commerce de Lyon")
              : new JsonObject()
                  .put("kind", "payment_incident")
                  .put("amount", 2500 + 1500 * n)
                  .put("days_late", 30 + 10 * n)
                  .put("occurred_on", today.minusDays(1 + n % 5).toString());
      second
          .append(
              fact.put("source", "demo")
                  .put("external_ref", "demo-fact-" + key.nationalId())
                  .put("company", company))
          .append('\n');
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("portfolio-facts-1.ndjson"), first, StandardCharsets.UTF_8);
      Files.writeString(dir.resolve("portfolio-facts-2.ndjson"), second, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write the demo facts in " + dir, e);
    }
  }
}
