package io.scoregate.policy;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

/** A tenant's current exposure to a company: the sum over the tenant's portfolios that hold it. */
public final class ExposureRepository {

  private static final String EXPOSURE_SQL =
      """
      SELECT coalesce(sum(m.exposure), 0)::float8
      FROM portfolio_members m JOIN portfolios p ON p.id = m.portfolio_id
      WHERE p.tenant_id = $1 AND m.company_id = $2
      """;

  private final SqlClient client;

  public ExposureRepository(SqlClient client) {
    this.client = client;
  }

  /** The exposure in EUR; 0 when no portfolio of the tenant holds the company. */
  public Future<Double> exposure(String tenantId, long companyId) {
    return client
        .preparedQuery(EXPOSURE_SQL)
        .execute(Tuple.of(tenantId, companyId))
        .map(rows -> rows.iterator().next().getDouble(0));
  }
}
