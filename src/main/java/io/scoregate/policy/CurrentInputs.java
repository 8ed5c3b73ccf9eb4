package io.scoregate.policy;

import io.scoregate.company.CompanyKey;
import io.vertx.core.Future;

/**
 * A company's policy inputs as of now (its current score), for a request of this amount and term.
 */
public interface CurrentInputs {
  Future<PolicyInputs> current(CompanyKey key, double amount, int paymentTerm);
}
