package io.scoregate.company;

/**
 * The identity of a company in the store: its country (ISO 3166 alpha-2) and its national
 * identifier in normalized form (digits only for SIREN, KBO, partita IVA...).
 */
public record CompanyKey(String country, String nationalId) {

  @Override
  public String toString() {
    return country + ":" + nationalId;
  }
}
