package io.scoregate.policy;

import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One rule of a policy, as the tenant wrote it: an id, a CEL condition ({@code when}) and the
 * outcome when it is the first rule to match: a recommendation, optional CEL formulas for the
 * maximum amount and payment term (the amount and term asked when omitted), and an optional reason
 * with English and French text.
 */
public record PolicyRule(
    String id,
    String when,
    Recommendation recommendation,
    String maxAmount,
    String maxPaymentTerm,
    Reason reason) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

  /** The code and texts a rule adds to the answer's reasons. */
  public record Reason(String code, String text, String textFr) {
    JsonObject toJson() {
      return new JsonObject().put("code", code).put("text", text).put("text_fr", textFr);
    }
  }

  public JsonObject toJson() {
    JsonObject json =
        new JsonObject()
            .put("id", id)
            .put("when", when)
            .put("recommendation", recommendation.wire());
    if (maxAmount != null) {
      json.put("max_amount", maxAmount);
    }
    if (maxPaymentTerm != null) {
      json.put("max_payment_term", maxPaymentTerm);
    }
    if (reason != null) {
      json.put("reason", reason.toJson());
    }
    return json;
  }

  public static JsonArray toJson(List<PolicyRule> rules) {
    JsonArray array = new JsonArray();
    rules.forEach(r -> array.add(r.toJson()));
    return array;
  }

  /**
   * The rules of a submitted policy ({@code {"rules": [...]}}), every malformed field reported at
   * once with its path, e.g. {@code rules[2].recommendation}. Expressions are checked later, by the
   * compiler.
   */
  public static List<PolicyRule> parse(Object rawRules, int maxRules) {
    List<FieldError> errors = new ArrayList<>();
    List<PolicyRule> rules = new ArrayList<>();
    if (!(rawRules instanceof JsonArray array) || array.isEmpty()) {
      throw new ValidationException(
          List.of(new FieldError("rules", "required", "rules is a non-empty list of rules.")));
    }
    if (array.size() > maxRules) {
      throw new ValidationException(
          List.of(
              new FieldError("rules", "too_many", "A policy has at most " + maxRules + " rules.")));
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      String at = "rules[" + i + "]";
      if (!(array.getValue(i) instanceof JsonObject r)) {
        errors.add(new FieldError(at, "type", at + " must be an object."));
        continue;
      }
      String id = text(r, "id");
      if (id == null || !ID.matcher(id).matches()) {
        errors.add(
            new FieldError(
                at + ".id", "format", at + ".id: 1-64 letters, digits, '_', '.' or '-'."));
      } else if (ids.contains(id)) {
        errors.add(new FieldError(at + ".id", "duplicate", "Rule id " + id + " is used twice."));
      }
      ids.add(id);
      String when = text(r, "when");
      if (when == null || when.isBlank()) {
        errors.add(new FieldError(at + ".when", "required", at + ".when is required."));
      }
      Recommendation recommendation = null;
      try {
        recommendation = Recommendation.fromWire(String.valueOf(r.getValue("recommendation")));
      } catch (IllegalArgumentException e) {
        errors.add(
            new FieldError(
                at + ".recommendation",
                "unknown",
                at
                    + ".recommendation is one of accept, accept_with_monitoring, manual_review,"
                    + " refuse."));
      }
      String maxAmount = formula(r, "max_amount", at, errors);
      String maxTerm = formula(r, "max_payment_term", at, errors);
      Reason reason = reason(r.getValue("reason"), at + ".reason", errors);
      rules.add(new PolicyRule(id, when, recommendation, maxAmount, maxTerm, reason));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return List.copyOf(rules);
  }

  private static String text(JsonObject r, String field) {
    return r.getValue(field) instanceof String s ? s : null;
  }

  /** A formula may be given as CEL text or as a plain number. */
  private static String formula(JsonObject r, String field, String at, List<FieldError> errors) {
    Object v = r.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n) {
      return n.toString();
    }
    if (v instanceof String s && !s.isBlank()) {
      return s;
    }
    errors.add(
        new FieldError(
            at + "." + field, "type", at + "." + field + " is a CEL formula or a number."));
    return null;
  }

  private static Reason reason(Object raw, String at, List<FieldError> errors) {
    if (raw == null) {
      return null;
    }
    if (!(raw instanceof JsonObject r)) {
      errors.add(new FieldError(at, "type", at + " is {code, text, text_fr}."));
      return null;
    }
    String code = text(r, "code");
    if (code == null || !CODE.matcher(code).matches()) {
      errors.add(
          new FieldError(
              at + ".code", "format", at + ".code: upper-case letters, digits and '_'."));
    }
    String en = text(r, "text");
    String fr = text(r, "text_fr");
    if (en == null || en.isBlank()) {
      errors.add(new FieldError(at + ".text", "required", at + ".text (English) is required."));
    }
    if (fr == null || fr.isBlank()) {
      errors.add(
          new FieldError(at + ".text_fr", "required", at + ".text_fr (French) is required."));
    }
    return new Reason(code, en, fr);
  }
}
