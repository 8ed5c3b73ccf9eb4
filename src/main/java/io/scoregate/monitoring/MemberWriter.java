package io.scoregate.monitoring;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes a batch of member lines in one transaction, in line order: each line added, updated,
 * removed, or refused with the field that made it fail (an unknown company, a reference that names
 * another company, a company already held under another reference). Members written get their
 * recommended terms, and the state rules are evaluated for them in the same transaction.
 */
final class MemberWriter {

  private final Pool pool;
  private final Clock clock;
  private final CreditTerms terms;
  private final AlertEvaluator evaluator;
  private final MemberRepository members = new MemberRepository();

  MemberWriter(Pool pool, Clock clock, CreditTerms terms, AlertEvaluator evaluator) {
    this.pool = pool;
    this.clock = clock;
    this.terms = terms;
    this.evaluator = evaluator;
  }

  /** The lines' results, one per line, in their order. */
  Future<List<JsonObject>> write(String tenantId, UUID portfolioId, List<MemberLine> lines) {
    return pool.withTransaction(tx -> write(tx, tenantId, portfolioId, lines));
  }

  private Future<List<JsonObject>> write(
      SqlConnection tx, String tenantId, UUID portfolioId, List<MemberLine> lines) {
    List<String> keyCountries = new ArrayList<>();
    List<String> keyIds = new ArrayList<>();
    List<String> references = new ArrayList<>();
    for (MemberLine l : lines) {
      if (l.valid()) {
        references.add(l.reference());
        if (l.company() != null) {
          keyCountries.add(l.company().country());
          keyIds.add(l.company().nationalId());
        }
      }
    }
    return members
        .companies(tx, keyCountries.toArray(new String[0]), keyIds.toArray(new String[0]))
        .compose(
            companies -> {
              Long[] ids = companies.values().stream().map(c -> c.id()).toArray(Long[]::new);
              return members
                  .existing(tx, portfolioId, ids, references.toArray(new String[0]))
                  .compose(
                      existing -> apply(tx, tenantId, portfolioId, lines, companies, existing));
            });
  }

  private Future<List<JsonObject>> apply(
      SqlConnection tx,
      String tenantId,
      UUID portfolioId,
      List<MemberLine> lines,
      Map<String, MemberRepository.Company> companies,
      Map<String, Long> existing) {
    // The portfolio as it would be after each line: reference -> company, company -> reference.
    Map<String, Long> byReference = new HashMap<>(existing);
    Map<Long, String> byCompany = new HashMap<>();
    existing.forEach((ref, company) -> byCompany.put(company, ref));
    Map<String, MemberLine> finalUpserts = new LinkedHashMap<>();
    Set<String> removed = new LinkedHashSet<>();
    Map<String, Long> companyOfLine = new HashMap<>();
    List<JsonObject> results = new ArrayList<>(lines.size());
    for (MemberLine l : lines) {
      if (!l.valid()) {
        results.add(l.errorResult());
        continue;
      }
      String ref = l.reference();
      if (MemberLine.REMOVE.equals(l.action())) {
        Long company = byReference.remove(ref);
        if (company == null) {
          results.add(error(l, "reference", "not_a_member", "No member has this reference."));
          continue;
        }
        byCompany.remove(company);
        finalUpserts.remove(ref);
        if (existing.containsKey(ref)) {
          removed.add(ref);
        }
        results.add(l.result("removed"));
        continue;
      }
      MemberRepository.Company company =
          companies.get(l.company().country() + ":" + l.company().nationalId());
      if (company == null) {
        results.add(
            error(l, "company", "unknown_company", "No company " + l.company() + " on file."));
        continue;
      }
      Long held = byReference.get(ref);
      String heldAs = byCompany.get(company.id());
      if (held != null && held != company.id()) {
        results.add(
            error(
                l,
                "reference",
                "reference_taken",
                "This reference is another company's; remove it first."));
        continue;
      }
      if (held == null && heldAs != null) {
        results.add(
            error(
                l,
                "company",
                "already_member",
                "The company is already a member, as reference " + heldAs + "."));
        continue;
      }
      byReference.put(ref, company.id());
      byCompany.put(company.id(), ref);
      finalUpserts.put(ref, l);
      companyOfLine.put(ref, company.id());
      boolean wasThere = existing.containsKey(ref) && !removed.contains(ref);
      results.add(l.result(wasThere || held != null ? "updated" : "added"));
    }
    Long[] written = finalUpserts.keySet().stream().map(companyOfLine::get).toArray(Long[]::new);
    Instant now = clock.instant();
    return members
        .remove(tx, portfolioId, removed.toArray(new String[0]))
        .compose(v -> members.termsInputs(tx, written))
        .compose(
            inputs -> {
              List<MemberRepository.Write> writes = new ArrayList<>(finalUpserts.size());
              for (MemberLine l : finalUpserts.values()) {
                long company = companyOfLine.get(l.reference());
                CreditTerms.Input input = inputs.get(company);
                writes.add(
                    new MemberRepository.Write(
                        company,
                        l.reference(),
                        l.exposure(),
                        l.currency(),
                        l.paymentTermsDays(),
                        input == null ? CreditTerms.Terms.NONE : terms.recommend(tenantId, input)));
              }
              return members.upsert(tx, portfolioId, writes, now);
            })
        .compose(v -> evaluator.onMembersWritten(tx, portfolioId, written, now))
        .map(results);
  }

  private static JsonObject error(MemberLine l, String field, String code, String message) {
    return new MemberLine(
            l.line(),
            l.action(),
            l.reference(),
            l.company(),
            l.exposure(),
            l.currency(),
            l.paymentTermsDays(),
            List.of(new MemberLine.LineError(field, code, message)))
        .errorResult();
  }
}
