package io.scoregate.model;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Asks the model verticle for predictions, with a configured timeout: one vector per message, or a
 * set in messages of at most {@code maxBatch} vectors.
 */
public final class ModelClient {

  private final EventBus eventBus;
  private final DeliveryOptions options;
  private final DeliveryOptions batchOptions;
  private final int maxBatch;

  public ModelClient(Vertx vertx, long timeoutMs, int maxBatch) {
    if (maxBatch <= 0) {
      throw new IllegalArgumentException("maxBatch must be > 0");
    }
    this.eventBus = vertx.eventBus();
    registerCodecs(eventBus);
    this.options =
        new DeliveryOptions().setSendTimeout(timeoutMs).setCodecName(codecName(double[].class));
    this.batchOptions =
        new DeliveryOptions().setSendTimeout(timeoutMs).setCodecName(codecName(double[][].class));
    this.maxBatch = maxBatch;
  }

  public Future<ModelOutput> score(double[] features) {
    return eventBus
        .<ModelOutput>request(ModelVerticle.ADDRESS, features, options)
        .map(Message::body);
  }

  /**
   * The outputs of these vectors, in their order. A set of more than {@code maxBatch} goes as
   * several messages at once (so several of the model's event loops may take them); any message
   * that fails (a vector of the wrong length, a timeout) fails the whole set.
   */
  public Future<List<ModelOutput>> scoreAll(List<double[]> features) {
    if (features.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<ModelOutput[]>> parts = new ArrayList<>();
    for (int from = 0; from < features.size(); from += maxBatch) {
      List<double[]> part = features.subList(from, Math.min(features.size(), from + maxBatch));
      parts.add(
          eventBus
              .<ModelOutput[]>request(
                  ModelVerticle.BATCH_ADDRESS, part.toArray(double[][]::new), batchOptions)
              .map(Message::body));
    }
    return Future.all(parts)
        .map(
            done -> {
              List<ModelOutput> outputs = new ArrayList<>(features.size());
              for (Future<ModelOutput[]> part : parts) {
                outputs.addAll(Arrays.asList(part.result()));
              }
              return outputs;
            });
  }

  /** Idempotent: codecs are registered once per Vert.x instance. */
  public static synchronized void registerCodecs(EventBus eventBus) {
    try {
      eventBus.registerCodec(new LocalCodec<>(double[].class));
      eventBus.registerCodec(new LocalCodec<>(double[][].class));
      eventBus.registerDefaultCodec(ModelOutput.class, new LocalCodec<>(ModelOutput.class));
      eventBus.registerDefaultCodec(ModelOutput[].class, new LocalCodec<>(ModelOutput[].class));
    } catch (IllegalStateException alreadyRegistered) {
      // Another client on the same Vert.x registered them first.
    }
  }

  private static String codecName(Class<?> type) {
    return "local-" + type.getName();
  }
}
