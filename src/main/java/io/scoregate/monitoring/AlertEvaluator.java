package io.scoregate.monitoring;

import io.scoregate.monitoring.AlertRules.Rule;
import io.scoregate.monitoring.MemberRepository.Holding;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Evaluates the alert rules of every portfolio that holds a company, inside the transaction of what
 * changed (a stored score change, an accepted fact, members written by an upload), and revises the
 * members' recommended terms on a score change. A state rule (score below, drop, level, ceased,
 * exposure above the limit, an open proceeding) fires when its condition starts to hold and again
 * only after it cleared; a payment incident fires once per incident. The alerts inserted are handed
 * to the {@link AlertListener}s in the same transaction.
 */
public final class AlertEvaluator implements ScoreChangeListener, FactListener {

  /** The cause of alerts raised when members are added or their exposure changes. */
  static final String MEMBER_CHANGE = "member_change";

  private final MemberRepository members;
  private final PortfolioRepository portfolios;
  private final AlertRepository alerts;
  private final CreditTerms terms;
  private final List<String> levels;
  private final List<AlertListener> listeners;

  /**
   * @param levels the risk levels from best to worst
   * @param listeners told of the alerts inserted, in this order
   */
  public AlertEvaluator(CreditTerms terms, List<String> levels, List<AlertListener> listeners) {
    this(
        new MemberRepository(),
        new PortfolioRepository(),
        new AlertRepository(),
        terms,
        levels,
        listeners);
  }

  AlertEvaluator(
      MemberRepository members,
      PortfolioRepository portfolios,
      AlertRepository alerts,
      CreditTerms terms,
      List<String> levels,
      List<AlertListener> listeners) {
    this.members = members;
    this.portfolios = portfolios;
    this.alerts = alerts;
    this.terms = terms;
    this.levels = List.copyOf(levels);
    this.listeners = List.copyOf(listeners);
  }

  /** What is being evaluated for one member: what changed and what it says. */
  record Trigger(
      Kind kind,
      String cause,
      Long eventId,
      String eventKind,
      JsonObject fact,
      Integer scoreBefore,
      Integer scoreAfter,
      String levelBefore,
      String levelAfter,
      List<AlertRules.Point> window,
      Instant at) {}

  enum Kind {
    SCORE,
    FACT,
    MEMBER
  }

  private record Subject(Holding member, Trigger trigger) {}

  @Override
  public Future<Void> onChanges(SqlConnection tx, List<ScoreChange> changes) {
    Map<Long, ScoreChange> byCompany = new HashMap<>();
    changes.forEach(c -> byCompany.put(c.companyId(), c));
    Long[] companies = byCompany.keySet().toArray(new Long[0]);
    return members
        .holding(tx, null, companies)
        .compose(
            held -> {
              if (held.isEmpty()) {
                return Future.succeededFuture();
              }
              return members
                  .termsInputs(tx, companies)
                  .compose(inputs -> revise(tx, byCompany, held, inputs))
                  .compose(
                      revised ->
                          rulesOf(tx, revised)
                              .compose(
                                  rules ->
                                      windows(tx, rules, byCompany.values())
                                          .compose(
                                              windows -> {
                                                List<Subject> subjects =
                                                    new ArrayList<>(revised.size());
                                                for (Holding m : revised) {
                                                  ScoreChange c = byCompany.get(m.companyId());
                                                  subjects.add(
                                                      new Subject(
                                                          m,
                                                          trigger(
                                                              c,
                                                              windows.getOrDefault(
                                                                  c.companyId(), List.of()))));
                                                }
                                                return evaluate(tx, subjects, rules);
                                              })));
            });
  }

  private static Trigger trigger(ScoreChange change, List<AlertRules.Point> window) {
    ScoreSnapshot b = change.before();
    ScoreSnapshot a = change.after();
    // The change itself, in case its history row is not visible here.
    List<AlertRules.Point> points = new ArrayList<>(window);
    points.add(new AlertRules.Point(a.score(), change.cause(), change.at()));
    return new Trigger(
        Kind.SCORE,
        change.cause(),
        change.causeEventId(),
        change.causeEventKind(),
        null,
        b == null ? null : b.score(),
        a.score(),
        b == null ? null : b.riskLevel(),
        a.riskLevel(),
        points,
        change.at());
  }

  /** New recommended terms for each member of a changed company; the members with them. */
  private Future<List<Holding>> revise(
      SqlClient tx,
      Map<Long, ScoreChange> changes,
      List<Holding> held,
      Map<Long, CreditTerms.Input> inputs) {
    List<MemberRepository.Revision> revisions = new ArrayList<>(held.size());
    List<Holding> out = new ArrayList<>(held.size());
    for (Holding m : held) {
      ScoreSnapshot a = changes.get(m.companyId()).after();
      CreditTerms.Input current = inputs.get(m.companyId());
      CreditTerms.Input input =
          new CreditTerms.Input(
              a.score(),
              a.pd(),
              a.riskLevel(),
              current == null ? Double.NaN : current.monthlySales(),
              current == null ? Double.NaN : current.equity(),
              current != null && current.openProceeding());
      CreditTerms.Terms t = terms.recommend(m.tenantId(), input);
      revisions.add(new MemberRepository.Revision(m.portfolioId(), m.companyId(), a.pd(), t));
      out.add(
          new Holding(
              m.portfolioId(),
              m.tenantId(),
              m.companyId(),
              m.reference(),
              m.exposure(),
              t.limit(),
              m.country(),
              m.nationalId(),
              m.companyName()));
    }
    return members.reviseTerms(tx, revisions).map(out);
  }

  /**
   * Each changed company's history over the widest drop window of the portfolios holding it, by
   * company (absent: no window to read).
   */
  private Future<Map<Long, List<AlertRules.Point>>> windows(
      SqlClient tx, Map<UUID, List<Rule>> rules, Collection<ScoreChange> changes) {
    int days = 0;
    for (List<Rule> list : rules.values()) {
      for (Rule r : list) {
        if (r.enabled() && r.name().equals(AlertRules.SCORE_DROP)) {
          days = Math.max(days, r.intParam("days"));
        }
      }
    }
    if (days == 0 || changes.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Long[] companies = new Long[changes.size()];
    Instant at = null;
    int i = 0;
    for (ScoreChange c : changes) {
      companies[i++] = c.companyId();
      at = at == null || c.at().isBefore(at) ? c.at() : at;
    }
    return alerts.history(tx, companies, at.minus(Duration.ofDays(days)));
  }

  @Override
  public Future<Void> onFacts(SqlConnection tx, List<Fact> facts) {
    Map<Long, Fact> byCompany = new HashMap<>();
    facts.forEach(f -> byCompany.put(f.companyId(), f));
    Long[] companies = byCompany.keySet().toArray(new Long[0]);
    return members
        .holding(tx, null, companies)
        .compose(
            held -> {
              if (held.isEmpty()) {
                return Future.succeededFuture();
              }
              return members
                  .termsInputs(tx, companies)
                  .compose(
                      inputs -> {
                        List<Subject> subjects = new ArrayList<>(held.size());
                        for (Holding m : held) {
                          Fact fact = byCompany.get(m.companyId());
                          CreditTerms.Input now = inputs.get(fact.companyId());
                          Trigger t =
                              new Trigger(
                                  Kind.FACT,
                                  ScoreChange.EVENT,
                                  fact.eventId(),
                                  fact.kind(),
                                  fact.details() == null ? new JsonObject() : fact.details(),
                                  now == null ? null : now.score(),
                                  now == null ? null : now.score(),
                                  now == null ? null : now.riskLevel(),
                                  now == null ? null : now.riskLevel(),
                                  List.of(),
                                  fact.at());
                          subjects.add(new Subject(m, t));
                        }
                        return evaluate(tx, subjects);
                      });
            });
  }

  /**
   * Evaluates the state rules for members just added or changed in one portfolio: a member that
   * joins already below a threshold or above its limit is alerted on once.
   */
  Future<Void> onMembersWritten(SqlConnection tx, UUID portfolioId, Long[] companyIds, Instant at) {
    if (companyIds.length == 0) {
      return Future.succeededFuture();
    }
    return members
        .holding(tx, portfolioId, companyIds)
        .compose(
            held ->
                members
                    .termsInputs(tx, companyIds)
                    .compose(
                        inputs -> {
                          List<Subject> subjects = new ArrayList<>(held.size());
                          for (Holding m : held) {
                            CreditTerms.Input now = inputs.get(m.companyId());
                            subjects.add(
                                new Subject(
                                    m,
                                    new Trigger(
                                        Kind.MEMBER,
                                        MEMBER_CHANGE,
                                        null,
                                        null,
                                        null,
                                        null,
                                        now == null ? null : now.score(),
                                        null,
                                        now == null ? null : now.riskLevel(),
                                        List.of(),
                                        at)));
                          }
                          return evaluate(tx, subjects);
                        }));
  }

  private Future<Map<UUID, List<Rule>>> rulesOf(SqlClient tx, List<Holding> held) {
    Set<UUID> ids = new LinkedHashSet<>();
    held.forEach(m -> ids.add(m.portfolioId()));
    return portfolios
        .rules(tx, ids.toArray(new UUID[0]))
        .map(
            rows -> {
              Map<UUID, List<Rule>> out = new HashMap<>();
              rows.forEach(
                  r -> out.computeIfAbsent(r.portfolioId(), k -> new ArrayList<>()).add(r.rule()));
              return out;
            });
  }

  private Future<Void> evaluate(SqlConnection tx, List<Subject> subjects) {
    if (subjects.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Holding> held = new ArrayList<>(subjects.size());
    subjects.forEach(s -> held.add(s.member()));
    return rulesOf(tx, held).compose(rules -> evaluate(tx, subjects, rules));
  }

  private Future<Void> evaluate(
      SqlConnection tx, List<Subject> subjects, Map<UUID, List<Rule>> rules) {
    if (subjects.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<Long> companies = new LinkedHashSet<>();
    subjects.forEach(s -> companies.add(s.member().companyId()));
    return alerts
        .activeConditions(tx, rules.keySet().toArray(new UUID[0]), companies.toArray(new Long[0]))
        .compose(
            active -> {
              List<Alert> fired = new ArrayList<>();
              List<AlertRepository.Transition> transitions = new ArrayList<>();
              for (Subject s : subjects) {
                for (Rule rule : rules.getOrDefault(s.member().portfolioId(), List.of())) {
                  decide(s, rule, active, fired, transitions);
                }
              }
              Instant at = subjects.get(0).trigger().at();
              return alerts
                  .setConditions(tx, transitions, at)
                  .compose(v -> alerts.insert(tx, fired))
                  .compose(inserted -> tell(tx, inserted));
            });
  }

  private void decide(
      Subject s,
      Rule rule,
      Set<String> active,
      List<Alert> fired,
      List<AlertRepository.Transition> transitions) {
    Holding m = s.member();
    if (!rule.watches(m.exposure())) {
      return;
    }
    JsonObject details = new JsonObject();
    Boolean holds = holds(rule, m, s.trigger(), details);
    if (holds == null) {
      return;
    }
    String key = AlertRepository.conditionKey(m.portfolioId(), m.companyId(), rule.name());
    boolean wasActive = active.contains(key);
    if (holds) {
      boolean perEvent = AlertRules.PER_EVENT.contains(rule.name());
      if (!wasActive || perEvent) {
        fired.add(alert(m, rule, s.trigger(), details));
      }
      if (!wasActive && !rule.name().equals(AlertRules.PAYMENT_INCIDENT)) {
        transitions.add(
            new AlertRepository.Transition(m.portfolioId(), m.companyId(), rule.name(), true));
        active.add(key);
      }
    } else if (wasActive) {
      transitions.add(
          new AlertRepository.Transition(m.portfolioId(), m.companyId(), rule.name(), false));
      active.remove(key);
    }
  }

  /**
   * Whether the rule's condition holds for the member after this trigger (true), has cleared
   * (false), or is not told anything by it (null); fills the alert's details.
   */
  private Boolean holds(Rule rule, Holding m, Trigger t, JsonObject details) {
    switch (rule.name()) {
      case AlertRules.SCORE_BELOW -> {
        if (t.kind() == Kind.FACT || t.scoreAfter() == null) {
          return null;
        }
        details.put("below", rule.intParam("below"));
        return AlertRules.scoreBelow(rule, t.scoreAfter());
      }
      case AlertRules.SCORE_DROP -> {
        if (t.kind() != Kind.SCORE) {
          return null;
        }
        Instant from = t.at().minus(Duration.ofDays(rule.intParam("days")));
        // The score held when the window opened counts: the last point before it, then the rest.
        List<AlertRules.Point> window = new ArrayList<>();
        for (AlertRules.Point p : t.window()) {
          if (p.at().isBefore(from)) {
            window.clear();
          }
          window.add(p);
        }
        int drop = AlertRules.drop(rule, window, t.scoreAfter());
        details
            .put("drop", drop)
            .put("points", rule.intParam("points"))
            .put("days", rule.intParam("days"));
        return drop > rule.intParam("points");
      }
      case AlertRules.RISK_LEVEL_WORSE -> {
        if (t.kind() == Kind.FACT || t.levelAfter() == null) {
          return null;
        }
        details.put("than", rule.params().getString("than"));
        return AlertRules.levelWorse(rule, t.levelAfter(), levels);
      }
      case AlertRules.EXPOSURE_ABOVE_LIMIT -> {
        if (t.kind() == Kind.FACT) {
          return null;
        }
        details
            .put("exposure", m.exposure().toPlainString())
            .put(
                "recommended_limit",
                m.recommendedLimit() == null ? null : m.recommendedLimit().toPlainString());
        return AlertRules.exposureAboveLimit(m.exposure(), m.recommendedLimit());
      }
      case AlertRules.INSOLVENCY -> {
        if (t.kind() != Kind.FACT || !"insolvency_proceeding".equals(t.eventKind())) {
          return null;
        }
        details
            .put("proceeding_kind", t.fact().getString("proceeding_kind"))
            .put("opened_on", t.fact().getString("opened_on"));
        return t.fact().getValue("closed_on") == null;
      }
      case AlertRules.PAYMENT_INCIDENT -> {
        if (t.kind() != Kind.FACT || !"payment_incident".equals(t.eventKind())) {
          return null;
        }
        Number amount = t.fact().getNumber("amount");
        Number daysLate = t.fact().getNumber("days_late");
        details.put("amount", amount).put("days_late", daysLate);
        boolean matters =
            AlertRules.incidentMatters(
                rule,
                amount == null ? 0 : amount.doubleValue(),
                daysLate == null ? 0 : daysLate.intValue());
        return matters ? Boolean.TRUE : null;
      }
      case AlertRules.CEASED -> {
        if (t.kind() != Kind.FACT || !"status_changed".equals(t.eventKind())) {
          return null;
        }
        return "ceased".equals(t.fact().getString("status"));
      }
      default -> {
        return null;
      }
    }
  }

  private static Alert alert(Holding m, Rule rule, Trigger t, JsonObject details) {
    return new Alert(
        UUID.randomUUID(),
        m.tenantId(),
        m.portfolioId(),
        rule.name(),
        rule.version(),
        m.companyId(),
        m.country(),
        m.nationalId(),
        m.companyName(),
        m.reference(),
        m.exposure(),
        t.scoreBefore(),
        t.scoreAfter(),
        t.levelBefore(),
        t.levelAfter(),
        t.cause(),
        t.eventId(),
        t.eventKind(),
        details,
        "open",
        t.at());
  }

  private Future<Void> tell(SqlConnection tx, List<Alert> inserted) {
    if (inserted.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Alert> view = List.copyOf(inserted);
    Future<Void> chain = Future.succeededFuture();
    for (AlertListener listener : listeners) {
      chain = chain.compose(v -> listener.onAlerts(tx, view));
    }
    return chain;
  }
}
