package io.scoregate.audit;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.List;

/**
 * One assessment of a company as the journal keeps it: its canonical bytes and their SHA-256, the
 * key decisions reference it by. The canonical form is UTF-8 JSON written by {@link #of}: members
 * in a fixed order, no whitespace, numbers as Jackson writes a Java {@code double} (shortest
 * round-trip form), missing numbers as {@code null}. The same assessment always gives the same
 * bytes, so recording it again is a no-op. The other components repeat members of the body for
 * queries.
 *
 * <p>The last two members hold what a decision's policy reads about the company beyond the score:
 * {@code profile} (legal form, sector, region, creation date, ceased) and {@code master_scale} (the
 * outcome of the configured master scale alone for this assessment). Bodies recorded before they
 * existed end with {@code events}: a simulation replays their decisions with those inputs
 * reconstructed, and says how many.
 *
 * @param body the canonical bytes (what is hashed and stored)
 */
public record AssessmentRecord(
    byte[] hash,
    byte[] body,
    String country,
    String nationalId,
    String modelVersion,
    Integer score,
    Double pd,
    String grade,
    String riskLevel,
    LocalDate dataAsOf) {

  /** The members of the canonical body, in their order. */
  public static final List<String> MEMBERS =
      List.of(
          "company",
          "score",
          "pd",
          "grade",
          "risk_level",
          "model_version",
          "data_as_of",
          "refuse",
          "monthly_sales",
          "equity",
          "rule_reasons",
          "model_reasons",
          "features",
          "events",
          "profile",
          "master_scale");

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * The assessment's canonical record. {@code company}, each reason, {@code features}, {@code
   * events}, {@code profile} and {@code masterScale} are JSON values already encoded (the company
   * as {@code {"country","id","name"}}).
   */
  public static AssessmentRecord of(
      String country,
      String nationalId,
      SerializableString company,
      Integer score,
      Double pd,
      String grade,
      String riskLevel,
      String modelVersion,
      LocalDate dataAsOf,
      boolean refuse,
      double monthlySales,
      double equity,
      List<SerializableString> ruleReasons,
      List<SerializableString> modelReasons,
      SerializableString features,
      SerializableString events,
      SerializableString profile,
      SerializableString masterScale) {
    ByteArrayBuilder out = new ByteArrayBuilder(4096);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeFieldName("company");
      g.writeRawValue(company);
      g.writeFieldName("score");
      if (score == null) {
        g.writeNull();
      } else {
        g.writeNumber(score);
      }
      number(g, "pd", pd == null ? Double.NaN : pd);
      g.writeStringField("grade", grade);
      g.writeStringField("risk_level", riskLevel);
      g.writeStringField("model_version", modelVersion);
      g.writeStringField("data_as_of", dataAsOf == null ? null : dataAsOf.toString());
      g.writeBooleanField("refuse", refuse);
      number(g, "monthly_sales", monthlySales);
      number(g, "equity", equity);
      g.writeArrayFieldStart("rule_reasons");
      for (SerializableString reason : ruleReasons) {
        g.writeRawValue(reason);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("model_reasons");
      for (SerializableString reason : modelReasons) {
        g.writeRawValue(reason);
      }
      g.writeEndArray();
      g.writeFieldName("features");
      g.writeRawValue(features);
      g.writeFieldName("events");
      g.writeRawValue(events);
      g.writeFieldName("profile");
      g.writeRawValue(profile);
      g.writeFieldName("master_scale");
      g.writeRawValue(masterScale);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to memory cannot fail", e);
    }
    byte[] body = out.toByteArray();
    return new AssessmentRecord(
        Sha256.of(body),
        body,
        country,
        nationalId,
        modelVersion,
        score,
        pd,
        grade,
        riskLevel,
        dataAsOf);
  }

  private static void number(JsonGenerator g, String name, double value) throws IOException {
    g.writeFieldName(name);
    if (Double.isFinite(value)) {
      g.writeNumber(value);
    } else {
      g.writeNull();
    }
  }
}
