package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The event loop the instance's journal writer lives on. Deployed before the HTTP verticles, which
 * append to it from their own loops; undeployed after them, once every decision is committed.
 */
public final class JournalVerticle extends VerticleBase {

  private final JournalWriter writer;

  public JournalVerticle(JournalWriter writer) {
    this.writer = writer;
  }

  @Override
  public Future<?> start() {
    return writer.start();
  }

  @Override
  public Future<?> stop() {
    return writer.drained();
  }
}
