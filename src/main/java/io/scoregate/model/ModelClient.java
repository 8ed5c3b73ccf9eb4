package io.scoregate.model;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

/** Asks the model verticle for a prediction, with a configured timeout. */
public final class ModelClient {

  private final EventBus eventBus;
  private final DeliveryOptions options;

  public ModelClient(Vertx vertx, long timeoutMs) {
    this.eventBus = vertx.eventBus();
    registerCodecs(eventBus);
    this.options =
        new DeliveryOptions().setSendTimeout(timeoutMs).setCodecName(codecName(double[].class));
  }

  public Future<ModelOutput> score(double[] features) {
    return eventBus
        .<ModelOutput>request(ModelVerticle.ADDRESS, features, options)
        .map(Message::body);
  }

  /** Idempotent: codecs are registered once per Vert.x instance. */
  public static synchronized void registerCodecs(EventBus eventBus) {
    try {
      eventBus.registerCodec(new LocalCodec<>(double[].class));
      eventBus.registerDefaultCodec(ModelOutput.class, new LocalCodec<>(ModelOutput.class));
    } catch (IllegalStateException alreadyRegistered) {
      // Another client on the same Vert.x registered them first.
    }
  }

  private static String codecName(Class<?> type) {
    return "local-" + type.getName();
  }
}
