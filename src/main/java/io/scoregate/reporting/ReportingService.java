package io.scoregate.reporting;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Portfolio analytics and regulatory figures. Distributions, concentration, the matrix and the
 * largest exposures are aggregated in SQL; IFRS 9, Basel III and Solvency II figures stream the
 * members through {@link MemberRisk} once (constant memory) and add them up.
 */
public final class ReportingService {

  private static final String REGULATORY_SQL =
      "SELECT pm.current_pd AS pd, pm.current_grade AS grade, "
          + MemberRisk.COLUMNS
          + """
          FROM portfolio_members pm
          WHERE pm.portfolio_id = $1
          """;

  private final ReportingRepository repository;
  private final ReportingConfig config;
  private final MemberRisk risk;
  private final List<String> levels;
  private final Clock clock;

  /**
   * @param levels the master scale's risk levels, best first (the matrix puts the worst first)
   */
  public ReportingService(
      io.vertx.sqlclient.SqlClient client,
      io.vertx.sqlclient.Pool streams,
      ReportingConfig config,
      List<String> levels,
      Clock clock) {
    this.repository = new ReportingRepository(client, streams, config);
    this.config = config;
    this.risk = new MemberRisk(config);
    this.levels = List.copyOf(levels);
    this.clock = clock;
  }

  ReportingConfig config() {
    return config;
  }

  MemberRisk risk() {
    return risk;
  }

  ReportingRepository repository() {
    return repository;
  }

  LocalDate today() {
    return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** The portfolio's name when the tenant owns it; fails with a 404 problem otherwise. */
  public Future<String> owned(UUID portfolio, String tenant) {
    return repository
        .portfolioName(portfolio, tenant)
        .compose(
            name ->
                name == null
                    ? Future.failedFuture(ReportingProblems.noPortfolio())
                    : Future.succeededFuture(name));
  }

  public Future<JsonObject> summary(UUID portfolio) {
    return repository.summary(portfolio);
  }

  /** Count and exposure per risk level (in the master scale's order) and per grade. */
  public Future<JsonObject> distribution(UUID portfolio) {
    return Future.all(repository.byLevel(portfolio), repository.byGrade(portfolio))
        .map(
            all -> {
              List<ReportingRepository.Group> byLevel = all.resultAt(0);
              List<ReportingRepository.Group> byGrade = all.resultAt(1);
              byLevel.sort(Comparator.comparingInt(g -> levelRank(g.key())));
              byGrade.sort(Comparator.comparingInt(g -> gradeRank(g.key())));
              return new JsonObject()
                  .put("by_level", groups(byLevel))
                  .put("by_grade", groups(byGrade));
            });
  }

  /**
   * Exposure per group, its share, and the Herfindahl-Hirschman index of the shares (0-10,000: the
   * sum of the squared percentage shares; 10,000 is everything in one group).
   */
  public Future<JsonObject> concentration(UUID portfolio, String by) {
    return repository
        .concentration(portfolio, by)
        .map(
            groups -> {
              BigDecimal total =
                  groups.stream()
                      .map(ReportingRepository.Group::exposure)
                      .reduce(BigDecimal.ZERO, BigDecimal::add);
              double hhi = 0;
              JsonArray rows = new JsonArray();
              for (ReportingRepository.Group g : groups) {
                double share =
                    total.signum() == 0
                        ? 0
                        : g.exposure().divide(total, 10, RoundingMode.HALF_EVEN).doubleValue();
                hhi += 10_000 * share * share;
                rows.add(group(g).put("share", share));
              }
              return new JsonObject()
                  .put("by", by)
                  .put("exposure", ReportingRepository.amount(total))
                  .put("hhi", Math.round(hhi * 100) / 100.0)
                  .put("groups", rows);
            });
  }

  /**
   * The risk x exposure matrix: a row per risk level, worst first, a cell per exposure band,
   * largest first, so the first cell is the "high amount, weak score" corner.
   */
  public Future<JsonObject> matrix(UUID portfolio) {
    return repository
        .matrix(portfolio)
        .map(
            cells -> {
              List<BigDecimal> bounds = config.exposureBands();
              JsonArray bands = new JsonArray();
              for (int band = bounds.size(); band >= 0; band--) {
                bands.add(
                    new JsonObject()
                        .put("band", band)
                        .put(
                            "from",
                            band == 0 ? "0.00" : ReportingRepository.amount(bounds.get(band - 1)))
                        .put(
                            "to",
                            band == bounds.size()
                                ? null
                                : ReportingRepository.amount(bounds.get(band))));
              }
              Map<String, JsonObject[]> rows = new LinkedHashMap<>();
              List<String> order = new ArrayList<>(levels);
              java.util.Collections.reverse(order);
              order.add("unscored");
              for (String level : order) {
                JsonObject[] row = new JsonObject[bounds.size() + 1];
                for (int band = 0; band <= bounds.size(); band++) {
                  row[band] =
                      new JsonObject().put("band", band).put("count", 0).put("exposure", "0.00");
                }
                rows.put(level, row);
              }
              for (ReportingRepository.Cell c : cells) {
                JsonObject[] row = rows.computeIfAbsent(c.level(), k -> null);
                if (row != null) {
                  row[c.band()]
                      .put("count", c.count())
                      .put("exposure", ReportingRepository.amount(c.exposure()));
                }
              }
              JsonArray out = new JsonArray();
              rows.forEach(
                  (level, row) -> {
                    JsonArray ordered = new JsonArray();
                    for (int band = row.length - 1; band >= 0; band--) {
                      ordered.add(row[band]);
                    }
                    out.add(new JsonObject().put("risk_level", level).put("cells", ordered));
                  });
              return new JsonObject().put("bands", bands).put("rows", out);
            });
  }

  public Future<JsonArray> largestExposures(UUID portfolio, int limit) {
    return repository.largestExposures(portfolio, Math.min(limit, config.topLimitMax()));
  }

  /** Daily snapshots over the last {@code days} days, oldest first. */
  public Future<JsonArray> evolution(UUID portfolio, int days) {
    return repository.snapshots(portfolio, today().minusDays(days));
  }

  public Future<Integer> takeSnapshots() {
    return repository.takeSnapshots(today(), clock.instant());
  }

  /** IFRS 9, Basel III and Solvency II totals, from one pass over the members. */
  public Future<JsonObject> regulatory(UUID portfolio) {
    Totals totals = new Totals();
    return RowStreams.each(
            repository.streams(),
            REGULATORY_SQL,
            Tuple.of(portfolio, today().minusDays(config.ifrs9().pastDueLookbackDays())),
            row -> totals.add(row, risk.of(row)))
        .map(v -> totals.toJson(config));
  }

  /** Writes each row of {@code sql}, encoded, to {@code out}, at the pace {@code out} takes. */
  Future<Void> eachMemberTo(
      String sql,
      Tuple params,
      java.util.function.Function<Row, io.vertx.core.buffer.Buffer> encode,
      io.vertx.core.streams.WriteStream<io.vertx.core.buffer.Buffer> out) {
    return RowStreams.pipe(repository.streams(), sql, params, encode, out);
  }

  private int levelRank(String level) {
    int i = levels.indexOf(level);
    return i < 0 ? levels.size() : i;
  }

  private static int gradeRank(String grade) {
    return grade.matches("G[0-9]+") ? Integer.parseInt(grade.substring(1)) : Integer.MAX_VALUE;
  }

  private static JsonArray groups(List<ReportingRepository.Group> groups) {
    JsonArray out = new JsonArray();
    groups.forEach(g -> out.add(group(g)));
    return out;
  }

  private static JsonObject group(ReportingRepository.Group g) {
    return new JsonObject()
        .put("key", g.key())
        .put("count", g.count())
        .put("exposure", ReportingRepository.amount(g.exposure()));
  }

  /** Running totals of the regulatory pass. */
  private static final class Totals {
    private long members;
    private long scored;
    private BigDecimal exposure = BigDecimal.ZERO;
    private BigDecimal unscoredExposure = BigDecimal.ZERO;
    private final double[] stageExposure = new double[4];
    private final long[] stageCount = new long[4];
    private final double[] stageEclGeneral = new double[4];
    private double eclSimplified;
    private double rwa;
    private double scoredEad;
    private final Map<String, double[]> solvencyGroups = new LinkedHashMap<>();

    void add(Row row, MemberRisk.Figures f) {
      members++;
      BigDecimal ead = row.getBigDecimal("exposure");
      exposure = exposure.add(ead);
      if (f == null) {
        unscoredExposure = unscoredExposure.add(ead);
        return;
      }
      scored++;
      double e = ead.doubleValue();
      scoredEad += e;
      stageCount[f.stage()]++;
      stageExposure[f.stage()] += e;
      stageEclGeneral[f.stage()] += f.eclGeneral();
      eclSimplified += f.eclSimplified();
      rwa += f.rwa();
      String grade = row.getString("grade") == null ? "?" : row.getString("grade");
      double[] g = solvencyGroups.computeIfAbsent(grade, k -> new double[4]);
      double lgdAmount = e * f.lgd();
      g[0] += f.pd();
      g[1] += 1;
      g[2] += lgdAmount;
      g[3] += lgdAmount * lgdAmount;
    }

    JsonObject toJson(ReportingConfig config) {
      JsonArray stages = new JsonArray();
      double eclGeneral = 0;
      for (int s = 1; s <= 3; s++) {
        eclGeneral += stageEclGeneral[s];
        stages.add(
            new JsonObject()
                .put("stage", s)
                .put("count", stageCount[s])
                .put("exposure", money(stageExposure[s]))
                .put("ecl", money(stageEclGeneral[s])));
      }
      List<SolvencyCounterpartyRisk.Group> groups = new ArrayList<>();
      solvencyGroups.forEach(
          (grade, g) -> groups.add(new SolvencyCounterpartyRisk.Group(g[0] / g[1], g[2], g[3])));
      SolvencyCounterpartyRisk.Result solvency = SolvencyCounterpartyRisk.of(groups);
      return new JsonObject()
          .put("members", members)
          .put("scored", scored)
          .put("exposure", ReportingRepository.amount(exposure))
          .put("unscored_exposure", ReportingRepository.amount(unscoredExposure))
          .put(
              "ifrs9",
              new JsonObject()
                  .put("simplified_ecl", money(eclSimplified))
                  .put("general_ecl", money(eclGeneral))
                  .put("stages", stages))
          .put(
              "basel3",
              new JsonObject()
                  .put("approach", "F-IRB corporate")
                  .put("lgd", config.basel().lgd())
                  .put("maturity_years", config.basel().maturityYears())
                  .put("pd_floor", config.basel().pdFloor())
                  .put("rwa", money(rwa))
                  .put("capital_8pct", money(0.08 * rwa))
                  .put("average_risk_weight", scoredEad == 0 ? null : rwa / scoredEad))
          .put(
              "solvency2",
              new JsonObject()
                  .put("module", "counterparty default risk, type 1")
                  .put("pd_groups", groups.size())
                  .put("variance", solvency.variance())
                  .put("standard_deviation", solvency.standardDeviation())
                  .put("total_lgd", money(solvency.totalLgd()))
                  .put("scr", money(solvency.scr())));
    }

    private static String money(double value) {
      return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }
  }
}
