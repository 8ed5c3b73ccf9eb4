package io.scoregate.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.concurrent.TimeUnit;

/**
 * Serves the champion model on the event bus: a feature vector in, the PD with its exact
 * contributions and reasons out. Evaluation is pure Java and takes microseconds, so it runs on the
 * verticle's event loop.
 */
public final class ModelVerticle extends VerticleBase {

  public static final String ADDRESS = "scoregate.model.score";

  private final ScoringModel model;
  private final int maxReasons;
  private final Timer evaluation;
  private MessageConsumer<double[]> consumer;

  public ModelVerticle(ScoringModel model, int maxReasons, MeterRegistry registry) {
    this.model = model;
    this.maxReasons = maxReasons;
    this.evaluation =
        Timer.builder("scoregate.model.evaluation")
            .description("PD, contributions and reasons for one company")
            .tag("model_version", model.version())
            .publishPercentiles(0.5, 0.99)
            .register(registry);
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
                  long start = System.nanoTime();
                  Prediction prediction = model.predict(features);
                  ModelOutput output =
                      new ModelOutput(
                          model.version(),
                          prediction,
                          model.reasons(features, prediction, maxReasons));
                  evaluation.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                  message.reply(output);
                });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
