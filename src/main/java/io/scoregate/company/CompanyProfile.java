package io.scoregate.company;

import java.time.LocalDate;

/**
 * Who a company is beyond its identifier, as the tenants' policy rules read it: legal form, sector
 * (NAF / NACE), region and creation date, each null when not on file, and whether it ceased.
 */
public record CompanyProfile(
    long companyId,
    String legalForm,
    String sector,
    String region,
    LocalDate createdOn,
    boolean ceased) {

  public static final CompanyProfile UNKNOWN = new CompanyProfile(0, null, null, null, null, false);
}
