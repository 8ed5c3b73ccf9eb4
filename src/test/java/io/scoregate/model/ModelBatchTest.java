package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A set scored in messages of at most maxBatch gives what one message per company gives. */
class ModelBatchTest {

  private static final ScoringModel SHIPPED =
      ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE);
  private static final int MAX_BATCH = 3;

  private Vertx vertx;
  private SimpleMeterRegistry registry;
  private ModelClient client;

  /** The size of each message sent to the batch address, in the order sent. */
  private final List<Integer> batchMessages = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    registry = new SimpleMeterRegistry();
    ServingModels models = new ServingModels(SHIPPED);
    // A shadow beside the champion, so that its PD is compared too.
    models.serve(SHIPPED, ScoringModel.fromClasspath(ScoringModel.DEFAULT_RESOURCE));
    client = new ModelClient(vertx, 5_000, MAX_BATCH);
    vertx
        .eventBus()
        .addOutboundInterceptor(
            ctx -> {
              if (ModelVerticle.BATCH_ADDRESS.equals(ctx.message().address())) {
                batchMessages.add(((double[][]) ctx.body()).length);
              }
              ctx.next();
            });
    // Two instances, as on two event loops: the parts of one set may be answered out of order.
    get(
        vertx.deployVerticle(
            () -> new ModelVerticle(models, 5, registry), new DeploymentOptions().setInstances(2)));
  }

  @AfterEach
  void stop() throws Exception {
    get(vertx.close());
  }

  @Test
  void aSetGivesTheOutputsOfOneMessagePerCompanyInOrder() throws Exception {
    List<double[]> vectors = vectors(7);
    List<ModelOutput> single = new ArrayList<>();
    for (double[] v : vectors) {
      single.add(get(client.score(v)));
    }

    List<ModelOutput> batch = get(client.scoreAll(vectors));

    assertThat(batch).hasSize(7);
    for (int i = 0; i < 7; i++) {
      ModelOutput b = batch.get(i);
      ModelOutput s = single.get(i);
      // Exactly: the same evaluation of the same vector. Prediction holds an array, so field by
      // field (a record's equals compares doubles as Double.compare does, NaN included).
      assertThat(b.modelVersion()).isEqualTo(s.modelVersion());
      assertThat(b.prediction().pd()).isEqualTo(s.prediction().pd());
      assertThat(b.prediction().margin()).isEqualTo(s.prediction().margin());
      assertThat(b.prediction().baseMargin()).isEqualTo(s.prediction().baseMargin());
      assertThat(b.prediction().contributions()).isEqualTo(s.prediction().contributions());
      assertThat(b.reasons()).isEqualTo(s.reasons());
      assertThat(b.shadowVersion()).isEqualTo(s.shadowVersion());
      assertThat(b.shadowPd()).isEqualTo(s.shadowPd());
    }
    assertThat(batch.get(0).shadowPd()).isEqualTo(single.get(0).prediction().pd());
    // Distinct companies, so that a shuffled answer could not pass.
    assertThat(batch.stream().map(o -> o.prediction().pd()).distinct()).hasSize(7);
  }

  @Test
  void aSetLargerThanMaxBatchGoesAsSeveralMessages() throws Exception {
    get(client.scoreAll(vectors(7)));
    assertThat(batchMessages).containsExactlyInAnyOrder(3, 3, 1);

    batchMessages.clear();
    get(client.scoreAll(vectors(MAX_BATCH)));
    assertThat(batchMessages).containsExactly(MAX_BATCH);

    batchMessages.clear();
    assertThat(get(client.scoreAll(List.of()))).isEmpty();
    assertThat(batchMessages).isEmpty();
  }

  @Test
  void eachCompanyOfASetIsTimedOnItsOwn() throws Exception {
    get(client.scoreAll(vectors(7)));
    assertThat(
            registry
                .get("scoregate.model.evaluation")
                .tag("model_version", SHIPPED.version())
                .timer()
                .count())
        .isEqualTo(7);
  }

  @Test
  void aVectorOfTheWrongLengthFailsItsWholeMessageAsTheSinglePathFails() throws Exception {
    List<double[]> vectors = vectors(MAX_BATCH);
    vectors.set(1, new double[] {1, 2, 3});

    assertThatThrownBy(() -> get(client.score(vectors.get(1))))
        .cause()
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(400));
    assertThatThrownBy(() -> get(client.scoreAll(vectors)))
        .cause()
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(400);
              assertThat(e.getMessage()).contains("vector 1");
            });
    // Nothing of that message was evaluated.
    assertThat(registry.find("scoregate.model.evaluation").timer()).isNull();
  }

  /** n companies as fixed pseudo-random vectors of the model's length. */
  private static List<double[]> vectors(int n) {
    Random random = new Random(42);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      double[] v = new double[SHIPPED.featureNames().size()];
      for (int j = 0; j < v.length; j++) {
        // Some missing values, as statements without a line give.
        v[j] = random.nextInt(10) == 0 ? Double.NaN : random.nextGaussian();
      }
      out.add(v);
    }
    return out;
  }

  /** Fails with an ExecutionException whose cause is the future's. */
  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
