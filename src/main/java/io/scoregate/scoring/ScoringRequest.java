package io.scoregate.scoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.Identifiers;
import io.scoregate.company.InvalidIdentifierException;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A request for a credit decision, validated: who (a French SIREN or SIRET, a company of another
 * country by its national identifier, or an LEI), how much and for how long. Every invalid field is
 * reported at once.
 */
public record ScoringRequest(CompanyKey key, String lei, double amount, int paymentTerm) {

  public static ScoringRequest parse(JsonObject body, PolicyConfig limits) {
    List<FieldError> errors = new ArrayList<>(2);
    CompanyKey key = null;
    String lei = null;
    Object siren = body.getValue("siren");
    Object siret = body.getValue("siret");
    Object company = body.getValue("company");
    if (siren != null) {
      key = identifier("FR", siren, "siren", errors);
    } else if (siret != null) {
      key = identifier("FR", siret, "siret", errors);
    } else if (company instanceof JsonObject c) {
      if (c.getValue("lei") != null) {
        if (c.getValue("lei") instanceof String raw) {
          try {
            lei = Identifiers.parseLei(raw);
          } catch (InvalidIdentifierException e) {
            errors.add(new FieldError("company.lei", e.code(), e.getMessage()));
          }
        } else {
          errors.add(new FieldError("company.lei", "type", "company.lei must be a string."));
        }
      } else if (!(c.getValue("country") instanceof String country) || country.isBlank()) {
        errors.add(
            new FieldError(
                "company.country",
                "required",
                "company.country is required (ISO 3166 alpha-2, e.g. FR, BE)."));
      } else if (c.getValue("id") == null) {
        errors.add(new FieldError("company.id", "required", "company.id is required."));
      } else {
        key = identifier(country, c.getValue("id"), "company.id", errors);
      }
    } else if (company != null) {
      errors.add(new FieldError("company", "type", "company must be an object."));
    } else {
      errors.add(
          new FieldError(
              "siren",
              "required",
              "Name the company: siren, siret, or company {country, id} or {lei}."));
    }
    double amount = 0;
    Object rawAmount = body.getValue("amount");
    if (rawAmount == null) {
      errors.add(new FieldError("amount", "required", "amount is required (in euros)."));
    } else if (!(rawAmount instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      errors.add(new FieldError("amount", "type", "amount must be a number."));
    } else if (n.doubleValue() <= 0 || n.doubleValue() > limits.maxRequestAmount()) {
      errors.add(
          new FieldError(
              "amount",
              "range",
              "amount must be above 0 and at most " + (long) limits.maxRequestAmount() + "."));
    } else {
      amount = n.doubleValue();
    }
    int term = 0;
    Object rawTerm = body.getValue("payment_term");
    if (rawTerm == null) {
      errors.add(
          new FieldError(
              "payment_term", "required", "payment_term is required (days, e.g. 30, 60)."));
    } else if (!(rawTerm instanceof Number t) || t.doubleValue() != Math.rint(t.doubleValue())) {
      errors.add(
          new FieldError("payment_term", "type", "payment_term must be a whole number of days."));
    } else if (t.longValue() < 0 || t.longValue() > limits.maxRequestPaymentTermDays()) {
      errors.add(
          new FieldError(
              "payment_term",
              "range",
              "payment_term must be between 0 and "
                  + limits.maxRequestPaymentTermDays()
                  + " days."));
    } else {
      term = t.intValue();
    }
    Object currency = body.getValue("currency");
    if (currency != null && !"EUR".equals(currency)) {
      errors.add(new FieldError("currency", "unsupported", "Only EUR amounts are supported."));
    }
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
    return new ScoringRequest(key, lei, amount, term);
  }

  private static CompanyKey identifier(
      String country, Object raw, String field, List<FieldError> errors) {
    if (!(raw instanceof String value)) {
      errors.add(
          new FieldError(
              field, "type", field + " must be a string (a number would lose its leading zeros)."));
      return null;
    }
    try {
      return Identifiers.parse(country, value);
    } catch (InvalidIdentifierException e) {
      errors.add(new FieldError(field, e.code(), e.getMessage()));
      return null;
    }
  }
}
