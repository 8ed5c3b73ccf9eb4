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
 * largest exposures are aggregated in SQL. IFRS 9, Basel III and Solvency II figures add up in SQL
 * the figures {@link MemberRisk} computed and kept on each member row ({@link
 * #refreshRiskFigures}); the members whose kept figures are stale or who have a recent payment
 * incident stream through {@link MemberRisk} (constant memory), in the same snapshot.
 */
public final class ReportingService {

  private final ReportingRepository repository;
  private final ReportingConfig config;
  private final MemberRisk risk;
  private final List<String> levels;
  private final Clock clock;
  private final java.util.concurrent.atomic.AtomicBoolean refreshing =
      new java.util.concurrent.atomic.AtomicBoolean();

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

  /** IFRS 9, Basel III and Solvency II totals. */
  public Future<JsonObject> regulatory(UUID portfolio) {
    return regulatoryTotals(portfolio).map(totals -> totals.toJson(config));
  }

  /**
   * The totals: the kept figures summed in SQL, then the other scored members one by one, both read
   * in one repeatable-read snapshot so that no member is counted twice or missed.
   */
  Future<Totals> regulatoryTotals(UUID portfolio) {
    LocalDate lookback = today().minusDays(config.ifrs9().pastDueLookbackDays());
    Totals totals = new Totals();
    return repository
        .streams()
        .withTransaction(
            conn ->
                conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .execute()
                    .compose(
                        v ->
                            conn.preparedQuery(ReportingRepository.KEPT_RISK_SQL)
                                .execute(Tuple.of(portfolio, risk.basis(), lookback)))
                    .compose(
                        groups -> {
                          groups.forEach(totals::addKept);
                          return RowStreams.each(
                              conn,
                              ReportingRepository.PER_MEMBER_SQL,
                              Tuple.of(portfolio, lookback, risk.basis()),
                              row -> totals.add(row, risk.of(row)));
                        }))
        .map(v -> totals);
  }

  /**
   * Computes and keeps the figures of every scored member whose kept figures are stale (a new
   * member, a changed input, another configuration), a page at a time; the number written. One
   * refresh at a time per instance; instances refreshing together write the same values.
   */
  public Future<Long> refreshRiskFigures() {
    if (!refreshing.compareAndSet(false, true)) {
      return Future.succeededFuture(0L);
    }
    return keepFrom(new UUID(0, 0), Long.MIN_VALUE, 0).onComplete(done -> refreshing.set(false));
  }

  private Future<Long> keepFrom(UUID portfolio, long company, long written) {
    return repository
        .keepRiskFigures(risk, portfolio, company, config.riskRefreshRows())
        .compose(
            page ->
                page == null
                    ? Future.succeededFuture(written)
                    : page.read() < config.riskRefreshRows()
                        ? Future.succeededFuture(written + page.written())
                        : keepFrom(page.portfolio(), page.company(), written + page.written()));
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
  static final class Totals {
    private long perMember;
    private long kept;
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

    /** Members summed from kept figures, and members computed one by one. */
    long kept() {
      return kept;
    }

    long perMember() {
      return perMember;
    }

    /**
     * A row of {@link ReportingRepository#KEPT_RISK_SQL}: a group of members whose stage is 3 if
     * impaired, else 2 on a significant increase in credit risk, else 1 (no days past due); or,
     * with no stage, the unscored members.
     */
    void addKept(Row r) {
      long n = r.getLong("members");
      BigDecimal ead = r.getBigDecimal("exposure");
      members += n;
      exposure = exposure.add(ead);
      Boolean impaired = r.getBoolean("impaired");
      if (impaired == null) {
        unscoredExposure = unscoredExposure.add(ead);
        return;
      }
      kept += n;
      scored += n;
      int stage = impaired ? 3 : Boolean.TRUE.equals(r.getBoolean("sicr")) ? 2 : 1;
      double e = r.getDouble("ead");
      double loss = r.getDouble("loss");
      double eclTerm = r.getDouble("ecl_term");
      scoredEad += e;
      stageCount[stage] += n;
      stageExposure[stage] += e;
      stageEclGeneral[stage] +=
          switch (stage) {
            case 1 -> r.getDouble("ecl_year");
            case 2 -> eclTerm;
            default -> loss;
          };
      eclSimplified += stage == 3 ? loss : eclTerm;
      rwa += stage == 3 ? 0 : r.getDouble("rwa");
      String grade = r.getString("grade") == null ? "?" : r.getString("grade");
      double[] g = solvencyGroups.computeIfAbsent(grade, k -> new double[4]);
      g[0] += r.getDouble("pd");
      g[1] += n;
      g[2] += loss;
      g[3] += r.getDouble("loss_squared");
    }

    void add(Row row, MemberRisk.Figures f) {
      perMember++;
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
