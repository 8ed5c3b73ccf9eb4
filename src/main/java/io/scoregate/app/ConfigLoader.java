package io.scoregate.app;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the YAML configuration and applies environment overrides: a leaf at path {@code a.bCd} is
 * replaced by the variable {@code SCOREGATE_A_B_CD} when it is set. List items are addressed by
 * index ({@code policy.levels[0].minScore} -> {@code SCOREGATE_POLICY_LEVELS_0_MIN_SCORE}).
 */
public final class ConfigLoader {

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          // A number or switch that no file names is an error, never a silent 0 or false.
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

  private static final String BUNDLED = "/config/application.yaml";

  private ConfigLoader() {}

  /**
   * The bundled defaults (the jar's {@code config/application.yaml}, every key documented), with
   * {@code file} over them when given: a key the file leaves out keeps its documented default, a
   * list the file names replaces the default list whole. A file that is named but cannot be read is
   * an error, never a fallback.
   */
  public static AppConfig load(Path file, Map<String, String> env) {
    try {
      JsonNode tree = bundled();
      if (file != null) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
          throw new IllegalArgumentException(
              "invalid configuration: " + file + " is not a readable file");
        }
        try (InputStream in = Files.newInputStream(file)) {
          JsonNode custom = YAML.readTree(in);
          if (custom != null && !custom.isMissingNode() && !custom.isNull()) {
            if (!custom.isObject()) {
              throw new IllegalArgumentException(
                  "invalid configuration: " + file + " is not a YAML mapping");
            }
            merge((ObjectNode) tree, (ObjectNode) custom);
          }
        }
      }
      applyOverrides(tree, "SCOREGATE", env);
      return YAML.treeToValue(tree, AppConfig.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("invalid configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The file named by {@code SCOREGATE_CONFIG} (which must exist), else {@code
   * config/application.yaml} when there is one, else the defaults in the jar.
   */
  public static AppConfig load(Map<String, String> env) {
    String named = env.get("SCOREGATE_CONFIG");
    if (named != null && !named.isBlank()) {
      return load(Path.of(named), env);
    }
    Path local = Path.of("config/application.yaml");
    return load(Files.isRegularFile(local) ? local : null, env);
  }

  private static JsonNode bundled() throws IOException {
    try (InputStream in = ConfigLoader.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("no " + BUNDLED + " in the jar");
      }
      return YAML.readTree(in);
    }
  }

  /** Lays {@code over} onto {@code base}: mappings key by key, anything else replaced. */
  static void merge(ObjectNode base, ObjectNode over) {
    Iterator<Map.Entry<String, JsonNode>> fields = over.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode current = base.get(field.getKey());
      if (current instanceof ObjectNode currentObject && field.getValue() instanceof ObjectNode o) {
        merge(currentObject, o);
      } else {
        base.set(field.getKey(), field.getValue());
      }
    }
  }

  static void applyOverrides(JsonNode node, String prefix, Map<String, String> env) {
    if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String name = prefix + "_" + upperSnake(field.getKey());
        JsonNode child = field.getValue();
        if (child.isContainerNode()) {
          applyOverrides(child, name, env);
        } else if (env.containsKey(name)) {
          field.setValue(TextNode.valueOf(env.get(name)));
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String name = prefix + "_" + i;
        JsonNode child = array.get(i);
        if (child.isContainerNode()) {
          applyOverrides(child, name, env);
        } else if (env.containsKey(name)) {
          array.set(i, TextNode.valueOf(env.get(name)));
        }
      }
    }
  }

  /** A key's part of its environment variable: {@code maxPoolSize} -> {@code MAX_POOL_SIZE}. */
  public static String upperSnake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c) && i > 0) {
        out.append('_');
      }
      out.append(c);
    }
    return out.toString().toUpperCase(Locale.ROOT);
  }
}
