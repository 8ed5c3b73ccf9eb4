package io.scoregate.scoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.company.Identifiers;
import io.scoregate.company.InvalidIdentifierException;
import io.scoregate.http.JsonBodies;
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

  /** The company a request names: a national key, or an LEI still to resolve. */
  public record Company(CompanyKey key, String lei) {}

  public static ScoringRequest parse(JsonObject body, PolicyConfig limits) {
    List<FieldError> errors = new ArrayList<>(2);
    Company named = company(body, errors);
    return parseAmounts(body, limits, named, errors);
  }

  /**
   * The company {@code body} names (siren, siret, company {country, id} or company {lei}); what is
   * wrong with it is added to {@code errors}, and then the company is null in part.
   */
  public static Company company(JsonObject body, List<FieldError> errors) {
    CompanyKey key = null;
    String lei = null;
    Object siren = body.getValue("siren");
    Object siret = body.getValue("siret");
    Object company = body.getValue("company");
    if (siren != null) {
      key = identifier("FR", siren, "siren", errors);
      if (key != null && siret != null) {
        // Both: they must name the same company (a SIRET starts with its company's SIREN).
        CompanyKey establishment = identifier("FR", siret, "siret", errors);
        if (establishment != null && !establishment.nationalId().equals(key.nationalId())) {
          errors.add(
              new FieldError(
                  "siret",
                  "mismatch",
                  "siret is an establishment of another company than siren; send one of them."));
        }
      }
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
    return new Company(key, lei);
  }

  private static ScoringRequest parseAmounts(
      JsonObject body, PolicyConfig limits, Company named, List<FieldError> errors) {
    double amount = 0;
    Object rawAmount = body.getValue("amount");
    if (rawAmount == null) {
      errors.add(new FieldError("amount", "required", "amount is required (in euros)."));
    } else if (!(rawAmount instanceof Number n) || !Double.isFinite(n.doubleValue())) {
      errors.add(new FieldError("amount", "type", "amount must be a number."));
    } else if (n instanceof java.math.BigInteger
        || n.doubleValue() <= 0
        || n.doubleValue() > limits.maxRequestAmount()) {
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
    } else if (!(rawTerm instanceof Number t)) {
      errors.add(
          new FieldError("payment_term", "type", "payment_term must be a whole number of days."));
    } else if (JsonBodies.wholeNumber(t) == null
        || JsonBodies.wholeNumber(t) < 0
        || JsonBodies.wholeNumber(t) > limits.maxRequestPaymentTermDays()) {
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
    return new ScoringRequest(named.key(), named.lei(), amount, term);
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
