package io.scoregate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scoregate.app.ConfigLoader;
import io.scoregate.scoring.PolicyConfig;
import io.scoregate.scoring.ScoringRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What checking a scoring request body against the OpenAPI contract costs: the contract's
 * {@code ScoringRequest} schema (from /openapi.yaml) through vertx-json-schema, the JSON Schema
 * 2020-12 validator vertx-openapi's RequestValidator checks bodies with, beside the gateway's own
 * parse and checks of the same body ({@link ScoringRequest#parse}, which also checks the SIREN's
 * Luhn digit, which no schema says) and the decoding of the body's bytes that both follow. Sample
 * mode: JMH reports percentiles.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class OpenApiValidationBenchmark {

  private static final String BODY =
      "{\"siren\":\"732829320\",\"amount\":50000,\"payment_term\":60}";

  private Validator basic;
  private Validator flag;
  private PolicyConfig limits;
  private JsonObject body;
  private JsonObject invalid;

  @Setup
  public void load() throws Exception {
    JsonObject contract;
    try (InputStream in = getClass().getResourceAsStream("/" + OpenApiRoutes.DOCUMENT)) {
      contract =
          new JsonObject(
              new ObjectMapper(new YAMLFactory()).readValue(in.readAllBytes(), Map.class));
    }
    JsonSchema schema =
        JsonSchema.of(
            contract
                .getJsonObject("components")
                .getJsonObject("schemas")
                .getJsonObject("ScoringRequest"));
    JsonSchemaOptions options =
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://scoregate.invalid/");
    basic = Validator.create(schema, new JsonSchemaOptions(options.toJson()).setOutputFormat(OutputFormat.Basic));
    flag = Validator.create(schema, new JsonSchemaOptions(options.toJson()).setOutputFormat(OutputFormat.Flag));
    limits = ConfigLoader.load(Map.of()).policy();
    body = new JsonObject(BODY);
    invalid = new JsonObject("{\"siren\":\"73282932\",\"amount\":-1,\"payment_term\":60}");
    if (!basic.validate(body).getValid() || basic.validate(invalid).getValid()) {
      throw new IllegalStateException("the schema does not check the scoring body");
    }
  }

  /** A valid body through the contract's schema, errors collected (as a 422 would list them). */
  @Benchmark
  public OutputUnit contractSchema() {
    return basic.validate(body);
  }

  /** The same, answering valid or not only (the cheapest output). */
  @Benchmark
  public OutputUnit contractSchemaFlag() {
    return flag.validate(body);
  }

  /** An invalid body (two fields) through the contract's schema, errors collected. */
  @Benchmark
  public OutputUnit contractSchemaInvalid() {
    return basic.validate(invalid);
  }

  /** The gateway's own checks of the same body, as the scoring route runs them. */
  @Benchmark
  public ScoringRequest handValidation() {
    return ScoringRequest.parse(body, limits);
  }

  /** Decoding the body's bytes, for scale: what the scoring route pays before either. */
  @Benchmark
  public JsonObject decodeBody() {
    return new JsonObject(Buffer.buffer(BODY));
  }
}
