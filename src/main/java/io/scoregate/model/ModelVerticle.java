package io.scoregate.model;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;

/**
 * Serves the champion model on the event bus: a feature vector in, the PD with its exact
 * contributions and reasons out. Evaluation is pure Java and takes microseconds, so it runs on the
 * verticle's event loop.
 */
public final class ModelVerticle extends VerticleBase {

  public static final String ADDRESS = "scoregate.model.score";

  private final ScoringModel model;
  private final int maxReasons;
  private MessageConsumer<double[]> consumer;

  public ModelVerticle(ScoringModel model, int maxReasons) {
    this.model = model;
    this.maxReasons = maxReasons;
  }

  @Override
  public Future<?> start() {
    consumer =
        vertx
            .eventBus()
            .<double[]>consumer(ADDRESS)
            .handler(
                message -> {
                  double[] features = message.body();
                  if (features == null || features.length != model.featureNames().size()) {
                    message.fail(400, "expected " + model.featureNames().size() + " features");
                    return;
                  }
                  Prediction prediction = model.predict(features);
                  message.reply(
                      new ModelOutput(
                          model.version(),
                          prediction,
                          model.reasons(features, prediction, maxReasons)));
                });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
