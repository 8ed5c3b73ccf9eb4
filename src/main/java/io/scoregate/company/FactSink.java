package io.scoregate.company;

import io.vertx.core.Future;

/**
 * Where an importer hands each fact it reads: stored and re-scored by monitoring. Completes with
 * true for a new fact, false for a replay; fails with {@link UnknownCompanyException} when the
 * company is not on file.
 */
@FunctionalInterface
public interface FactSink {
  Future<Boolean> accept(CompanyEvent event);
}
