package io.scoregate.company;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs the facts of one company one after the other, in the order they were read (an opening before
 * its closing), while facts of different companies run side by side. Only companies with a fact in
 * flight are remembered.
 */
public final class PerCompanyOrder {

  private final Map<CompanyKey, Future<?>> tails = new ConcurrentHashMap<>();

  /** Starts {@code task} once the company's previous task (if any) has completed, either way. */
  public <T> Future<T> submit(CompanyKey key, Supplier<Future<T>> task) {
    Promise<T> result = Promise.promise();
    Future<T> mine = result.future();
    Future<?> previous = tails.put(key, mine);
    (previous == null ? Future.succeededFuture() : previous)
        .onComplete(
            ignored -> {
              Future<T> run;
              try {
                run = task.get();
              } catch (RuntimeException e) {
                run = Future.failedFuture(e);
              }
              run.onComplete(result);
            });
    mine.onComplete(ignored -> tails.remove(key, mine));
    return mine;
  }
}
