package io.scoregate.monitoring;

import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The alert rules every portfolio has, their parameters with the defaults credit managers start
 * from, the validation of a change, and the conditions themselves as pure functions (the evaluator
 * decides when a condition starts or stops holding).
 */
final class AlertRules {

  static final String SCORE_BELOW = "score_below";
  static final String SCORE_DROP = "score_drop";
  static final String RISK_LEVEL_WORSE = "risk_level_worse";
  static final String INSOLVENCY = "insolvency_proceeding";
  static final String PAYMENT_INCIDENT = "payment_incident";
  static final String CEASED = "company_ceased";
  static final String EXPOSURE_ABOVE_LIMIT = "exposure_above_limit";

  /** Each rule's parameters and their defaults, in the order the API lists the rules. */
  private static final Map<String, JsonObject> DEFAULTS = new LinkedHashMap<>();

  static {
    DEFAULTS.put(SCORE_BELOW, new JsonObject().put("below", 40));
    DEFAULTS.put(
        SCORE_DROP,
        new JsonObject().put("points", 20).put("days", 30).put("ignore_model_change", true));
    DEFAULTS.put(RISK_LEVEL_WORSE, new JsonObject().put("than", "high"));
    DEFAULTS.put(INSOLVENCY, new JsonObject());
    DEFAULTS.put(PAYMENT_INCIDENT, new JsonObject().put("min_amount", 0).put("min_days_late", 0));
    DEFAULTS.put(CEASED, new JsonObject());
    DEFAULTS.put(EXPOSURE_ABOVE_LIMIT, new JsonObject());
  }

  /** Rules that fire once per fact (each proceeding, each incident) rather than per state. */
  static final Set<String> PER_EVENT = Set.of(INSOLVENCY, PAYMENT_INCIDENT);

  private AlertRules() {}

  static List<String> names() {
    return List.copyOf(DEFAULTS.keySet());
  }

  static JsonObject defaults(String name) {
    return DEFAULTS.get(name).copy();
  }

  /** One rule of one portfolio as it is in force: {@code version} is its history row. */
  record Rule(
      String name, boolean enabled, JsonObject params, BigDecimal minExposure, long version) {

    /** Whether the rule watches a member of this exposure at all. */
    boolean watches(BigDecimal exposure) {
      return enabled && (minExposure == null || exposure.compareTo(minExposure) >= 0);
    }

    int intParam(String key) {
      return params.getInteger(key, DEFAULTS.get(name).getInteger(key));
    }

    double numberParam(String key) {
      Number n = params.getNumber(key);
      return n == null ? DEFAULTS.get(name).getNumber(key).doubleValue() : n.doubleValue();
    }

    JsonObject toJson() {
      return new JsonObject()
          .put("rule", name)
          .put("enabled", enabled)
          .put("params", params)
          .put("min_exposure", minExposure == null ? null : minExposure.toPlainString())
          .put("version", version);
    }
  }

  /**
   * The rule after a change asked in {@code body} ({@code enabled}, {@code params} merged over the
   * current ones, {@code min_exposure}, null to remove it); a validation problem names the field.
   */
  static Rule change(Rule current, JsonObject body, List<String> levels) {
    for (String key : body.fieldNames()) {
      if (!Set.of("enabled", "params", "min_exposure").contains(key)) {
        throw MonitoringProblems.invalid(
            key, "unknown_field", "Unknown field '" + key + "': enabled, params, min_exposure.");
      }
    }
    boolean enabled = current.enabled();
    if (body.containsKey("enabled")) {
      if (!(body.getValue("enabled") instanceof Boolean b)) {
        throw MonitoringProblems.invalid("enabled", "type", "enabled must be true or false.");
      }
      enabled = b;
    }
    JsonObject params = current.params().copy();
    if (body.containsKey("params")) {
      if (!(body.getValue("params") instanceof JsonObject asked)) {
        throw MonitoringProblems.invalid("params", "type", "params must be a JSON object.");
      }
      for (String key : asked.fieldNames()) {
        params.put(key, checkedParam(current.name(), key, asked.getValue(key), levels));
      }
    }
    BigDecimal minExposure = current.minExposure();
    if (body.containsKey("min_exposure")) {
      Object value = body.getValue("min_exposure");
      if (value == null) {
        minExposure = null;
      } else if (value instanceof Number n && n.doubleValue() >= 0) {
        minExposure = new BigDecimal(n.toString());
      } else {
        throw MonitoringProblems.invalid(
            "min_exposure", "range", "min_exposure must be a number >= 0, or null.");
      }
    }
    return new Rule(current.name(), enabled, params, minExposure, current.version());
  }

  private static Object checkedParam(String rule, String key, Object value, List<String> levels) {
    String field = "params." + key;
    JsonObject defaults = DEFAULTS.get(rule);
    if (!defaults.containsKey(key)) {
      throw MonitoringProblems.invalid(
          field,
          "unknown_field",
          "Rule "
              + rule
              + " has no parameter '"
              + key
              + "'; it has "
              + defaults.fieldNames()
              + ".");
    }
    return switch (rule + "." + key) {
      case "score_below.below" -> intIn(field, value, 1, 100);
      case "score_drop.points" -> intIn(field, value, 1, 100);
      case "score_drop.days" -> intIn(field, value, 1, 365);
      case "score_drop.ignore_model_change" -> {
        if (!(value instanceof Boolean b)) {
          throw MonitoringProblems.invalid(field, "type", field + " must be true or false.");
        }
        yield b;
      }
      case "risk_level_worse.than" -> {
        if (!(value instanceof String level) || !levels.contains(level)) {
          throw MonitoringProblems.invalid(
              field, "unknown_level", field + " must be one of " + levels + ".");
        }
        yield level;
      }
      case "payment_incident.min_amount" -> {
        if (!(value instanceof Number n) || n.doubleValue() < 0) {
          throw MonitoringProblems.invalid(field, "range", field + " must be a number >= 0.");
        }
        yield n;
      }
      case "payment_incident.min_days_late" -> intIn(field, value, 0, 3650);
      default -> throw new IllegalStateException("no check for " + rule + "." + key);
    };
  }

  private static int intIn(String field, Object value, int min, int max) {
    if (!(value instanceof Number n)
        || n.doubleValue() != Math.rint(n.doubleValue())
        || n.intValue() < min
        || n.intValue() > max) {
      throw MonitoringProblems.invalid(
          field, "range", field + " must be a whole number from " + min + " to " + max + ".");
    }
    return n.intValue();
  }

  static boolean scoreBelow(Rule rule, int score) {
    return score < rule.intParam("below");
  }

  /** Whether {@code level} is worse than the rule's level; levels run from best to worst. */
  static boolean levelWorse(Rule rule, String level, List<String> levels) {
    int threshold = levels.indexOf(rule.params().getString("than", "high"));
    int actual = levels.indexOf(level);
    return threshold >= 0 && actual > threshold;
  }

  /** One row of a company's score history, as the drop rule reads it. */
  record Point(int score, String cause, Instant at) {}

  /**
   * How many points the score fell from its highest within the rule's window to {@code now}, the
   * window's points in time order and ending with the current score. With {@code
   * ignore_model_change}, the window starts again at the last model change, whose new score is the
   * reference: a model swap alone never counts as a drop.
   */
  static int drop(Rule rule, List<Point> window, int current) {
    boolean ignoreModelChange = rule.params().getBoolean("ignore_model_change", true);
    int from = 0;
    if (ignoreModelChange) {
      for (int i = 0; i < window.size(); i++) {
        if (ScoreChange.MODEL_CHANGE.equals(window.get(i).cause())) {
          from = i;
        }
      }
    }
    int peak = current;
    for (int i = from; i < window.size(); i++) {
      peak = Math.max(peak, window.get(i).score());
    }
    return peak - current;
  }

  static boolean dropped(Rule rule, List<Point> window, int current) {
    return drop(rule, window, current) > rule.intParam("points");
  }

  static boolean incidentMatters(Rule rule, double amount, int daysLate) {
    return amount >= rule.numberParam("min_amount") && daysLate >= rule.intParam("min_days_late");
  }

  static boolean exposureAboveLimit(BigDecimal exposure, BigDecimal recommendedLimit) {
    return recommendedLimit != null && exposure.compareTo(recommendedLimit) > 0;
  }
}
