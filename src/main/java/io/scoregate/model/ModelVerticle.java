package io.scoregate.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Serves the champion model on the event bus: a feature vector in, the PD with its exact
 * contributions and reasons out, and the shadow model's PD beside it when one runs. Evaluation is
 * pure Java and takes microseconds, so it runs on the verticle's event loop. The line-up is read
 * once per call: a champion swapped meanwhile serves the next call.
 */
public final class ModelVerticle extends VerticleBase {

  public static final String ADDRESS = "scoregate.model.score";

  private final ServingModels models;
  private final int maxReasons;
  private final MeterRegistry registry;
  private final Map<String, Timer> evaluation = new ConcurrentHashMap<>();
  private MessageConsumer<double[]> consumer;

  public ModelVerticle(ServingModels models, int maxReasons, MeterRegistry registry) {
    this.models = models;
    this.maxReasons = maxReasons;
    this.registry = registry;
  }

  private Timer timer(String version) {
    return evaluation.computeIfAbsent(
        version,
        v ->
            Timer.builder("scoregate.model.evaluation")
                .description("PD, contributions and reasons for one company")
                .tag("model_version", v)
                .publishPercentiles(0.5, 0.99)
                .register(registry));
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
                  ServingModels.Lineup lineup = models.lineup();
                  ScoringModel model = lineup.champion();
                  if (features == null || features.length != model.featureNames().size()) {
                    message.fail(400, "expected " + model.featureNames().size() + " features");
                    return;
                  }
                  long start = System.nanoTime();
                  Prediction prediction = model.predict(features);
                  List<Reason> reasons = model.reasons(features, prediction, maxReasons);
                  timer(model.version()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                  ScoringModel shadow = lineup.shadow();
                  ModelOutput output =
                      new ModelOutput(
                          model.version(),
                          prediction,
                          reasons,
                          lineup.shadowVersion(),
                          shadow == null ? null : shadow.pd(features));
                  message.reply(output);
                });
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }
}
