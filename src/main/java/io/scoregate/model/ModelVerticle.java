package io.scoregate.model;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Serves the champion model on the event bus: a feature vector in, the PD with its exact
 * contributions and reasons out, and the shadow model's PD beside it when one runs; or, at {@link
 * #BATCH_ADDRESS}, a set of vectors in and their outputs out, in order. Evaluation is pure Java and
 * takes microseconds, so it runs on the verticle's event loop; {@link ModelClient} bounds a set to
 * {@code model.maxBatch} vectors so that one message never holds the loop for long. The line-up is
 * read once per message: a champion swapped meanwhile serves the next message.
 */
public final class ModelVerticle extends VerticleBase {

  public static final String ADDRESS = "scoregate.model.score";

  /**
   * A set of vectors ({@code double[][]}) in one message; answered with a {@code ModelOutput[]}.
   */
  public static final String BATCH_ADDRESS = "scoregate.model.score-all";

  private final ServingModels models;
  private final int maxReasons;
  private final MeterRegistry registry;
  private final Map<String, Timer> evaluation = new ConcurrentHashMap<>();
  private MessageConsumer<double[]> consumer;
  private MessageConsumer<double[][]> batchConsumer;

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
    consumer = vertx.eventBus().<double[]>consumer(ADDRESS).handler(this::scoreOne);
    batchConsumer = vertx.eventBus().<double[][]>consumer(BATCH_ADDRESS).handler(this::scoreAll);
    return Future.all(consumer.completion(), batchConsumer.completion());
  }

  private void scoreOne(Message<double[]> message) {
    double[] features = message.body();
    ServingModels.Lineup lineup = models.lineup();
    if (!fits(lineup, features)) {
      message.fail(400, expected(lineup));
      return;
    }
    message.reply(evaluate(lineup, features));
  }

  /**
   * The whole set or nothing: a vector of the wrong length fails the message, as one such vector
   * fails a set scored one message per company, and the set's other vectors are not evaluated.
   */
  private void scoreAll(Message<double[][]> message) {
    double[][] set = message.body();
    ServingModels.Lineup lineup = models.lineup();
    if (set == null) {
      message.fail(400, "expected a set of feature vectors");
      return;
    }
    for (int i = 0; i < set.length; i++) {
      if (!fits(lineup, set[i])) {
        message.fail(400, "vector " + i + ": " + expected(lineup));
        return;
      }
    }
    ModelOutput[] outputs = new ModelOutput[set.length];
    for (int i = 0; i < set.length; i++) {
      outputs[i] = evaluate(lineup, set[i]);
    }
    message.reply(outputs);
  }

  private static boolean fits(ServingModels.Lineup lineup, double[] features) {
    return features != null && features.length == lineup.champion().featureNames().size();
  }

  private static String expected(ServingModels.Lineup lineup) {
    return "expected " + lineup.champion().featureNames().size() + " features";
  }

  /** One company, timed on its own whichever address it came by. */
  private ModelOutput evaluate(ServingModels.Lineup lineup, double[] features) {
    ScoringModel model = lineup.champion();
    long start = System.nanoTime();
    Prediction prediction = model.predict(features);
    List<Reason> reasons = model.reasons(features, prediction, maxReasons);
    timer(model.version()).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    ScoringModel shadow = lineup.shadow();
    return new ModelOutput(
        model.version(),
        prediction,
        reasons,
        lineup.shadowVersion(),
        shadow == null ? null : shadow.pd(features));
  }

  @Override
  public Future<?> stop() {
    return Future.all(
        consumer == null ? Future.succeededFuture() : consumer.unregister(),
        batchConsumer == null ? Future.succeededFuture() : batchConsumer.unregister());
  }
}
