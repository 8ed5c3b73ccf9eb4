package io.scoregate.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * XGBoost's trained trees out of the booster: its JSON model read into the artifact's layout and
 * into the Java evaluator, and the check that the evaluator gives XGBoost's own margins.
 */
final class XgboostExport {

  private static final ObjectMapper JSON = new ObjectMapper();

  private XgboostExport() {}

  static JsonNode json(Booster booster) throws XGBoostError, IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    booster.saveModel(out, "json");
    return JSON.readTree(out.toByteArray());
  }

  static TreeEnsemble trees(Booster booster, int featureCount) throws XGBoostError {
    try {
      return trees(json(booster), featureCount);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the trained model", e);
    }
  }

  /** Builds the Java evaluator from XGBoost's JSON model. */
  static TreeEnsemble trees(JsonNode model, int featureCount) {
    ArrayNode trees = treesJson(model);
    String baseScore = model.at("/learner/learner_model_param/base_score").asText();
    double base = Double.parseDouble(baseScore.replace("[", "").replace("]", ""));
    double baseMargin = Math.log(base / (1 - base));
    return ScoringModel.readTrees(trees, featureCount, baseMargin);
  }

  /** XGBoost's trees in the artifact's layout: one array per node attribute. */
  static ArrayNode treesJson(JsonNode model) {
    ArrayNode out = JSON.createArrayNode();
    for (JsonNode tree : model.at("/learner/gradient_booster/model/trees")) {
      JsonNode leftChildren = tree.get("left_children");
      int n = leftChildren.size();
      ObjectNode t = out.addObject();
      ArrayNode feature = t.putArray("feature");
      ArrayNode threshold = t.putArray("threshold");
      ArrayNode left = t.putArray("left");
      ArrayNode right = t.putArray("right");
      ArrayNode defaultLeft = t.putArray("default_left");
      ArrayNode value = t.putArray("value");
      ArrayNode cover = t.putArray("cover");
      for (int i = 0; i < n; i++) {
        boolean leaf = leftChildren.get(i).asInt() == -1;
        float condition = (float) tree.get("split_conditions").get(i).asDouble();
        feature.add(leaf ? -1 : tree.get("split_indices").get(i).asInt());
        threshold.add(leaf ? 0f : condition);
        left.add(leftChildren.get(i).asInt());
        right.add(tree.get("right_children").get(i).asInt());
        JsonNode dl = tree.get("default_left").get(i);
        defaultLeft.add(dl.isBoolean() ? (dl.asBoolean() ? 1 : 0) : dl.asInt());
        // A leaf's value is stored in its split condition.
        value.add(leaf ? condition : 0f);
        cover.add((float) tree.get("sum_hessian").get(i).asDouble());
      }
    }
    return out;
  }

  /** The Java evaluator must give XGBoost's margins, or the artifact would not be the model. */
  static void check(Booster booster, TreeEnsemble trees, TrainingData data) throws XGBoostError {
    int nf = data.featureNames().size();
    float[] flat = new float[data.size() * nf];
    for (int r = 0; r < data.size(); r++) {
      for (int j = 0; j < nf; j++) {
        flat[r * nf + j] = (float) data.rows()[r][j];
      }
    }
    DMatrix matrix = new DMatrix(flat, data.size(), nf, Float.NaN);
    try {
      float[][] margins = booster.predict(matrix, true);
      double worst = 0;
      for (int r = 0; r < data.size(); r++) {
        worst = Math.max(worst, Math.abs(margins[r][0] - trees.margin(data.rows()[r])));
      }
      if (worst > 1e-3) {
        throw new IllegalStateException(
            "the exported trees differ from XGBoost's by " + worst + " in margin");
      }
    } finally {
      matrix.dispose();
    }
  }
}
