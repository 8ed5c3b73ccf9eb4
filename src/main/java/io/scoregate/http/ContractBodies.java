package io.scoregate.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.scoregate.problem.FieldError;
import io.scoregate.problem.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks JSON request bodies against the OpenAPI contract served at {@code /openapi.yaml}: the
 * schema of an operation's {@code application/json} body, through vertx-openapi's schema
 * repository. A route takes {@link #body(String)} as the handler before its own, after its scope
 * check: a body that does not match is a 422 problem naming each field (a JSON pointer made a field
 * name) before the route reads it, a body that is not JSON a 400; the route's own checks then see
 * only bodies of the documented shape, and still check what no schema says (an identifier's check
 * digit, a rule's expression). An empty body, or one of another media type, is left to the route,
 * which answers as it does without the contract.
 *
 * <p>vertx-openapi 5.0 refuses a contract whose answers use media types it cannot validate ({@code
 * application/problem+json}, {@code text/csv}, NDJSON...), so it is given the contract's requests
 * only: the served document without the answers' content and without the request media types other
 * than JSON. Nothing it checks is removed.
 */
public final class ContractBodies {

  private static final Pattern REQUIRED = Pattern.compile("required property \"([^\"]+)\"");
  private static final Pattern NAMED = Pattern.compile("[Pp]roperty \"([^\"]+)\"");

  private final JsonObject document;
  private volatile OpenAPIContract contract;

  private ContractBodies(JsonObject document) {
    this.document = document;
  }

  /** The contract shipped in the jar; {@link #start(Vertx)} loads it before the routes mount. */
  public static ContractBodies served() {
    return new ContractBodies(servedDocument());
  }

  /** The served document as JSON. */
  public static JsonObject servedDocument() {
    try (InputStream in =
        ContractBodies.class.getClassLoader().getResourceAsStream(OpenApiRoutes.DOCUMENT)) {
      if (in == null) {
        throw new IllegalStateException("no " + OpenApiRoutes.DOCUMENT + " in the jar");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> map =
          new ObjectMapper(new YAMLFactory()).readValue(in.readAllBytes(), Map.class);
      return new JsonObject(map);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Loads the contract (vertx-openapi checks it against the OpenAPI 3.1 meta-schema). */
  public Future<Void> start(Vertx vertx) {
    return OpenAPIContract.from(vertx, requests(document))
        .onSuccess(loaded -> contract = loaded)
        .mapEmpty();
  }

  /**
   * The document with what a request validator reads: the answers keep their status and headers but
   * not their content, and request bodies keep the media types vertx-openapi validates.
   */
  static JsonObject requests(JsonObject document) {
    JsonObject view = document.copy();
    JsonObject components = view.getJsonObject("components", new JsonObject());
    components.getJsonObject("responses", new JsonObject()).forEach(r -> withoutContent(r));
    view.getJsonObject("paths", new JsonObject())
        .forEach(
            path -> {
              if (!(path.getValue() instanceof JsonObject methods)) {
                return;
              }
              for (String method : methods.fieldNames()) {
                if (!(methods.getValue(method) instanceof JsonObject op)) {
                  continue;
                }
                op.getJsonObject("responses", new JsonObject()).forEach(r -> withoutContent(r));
                JsonObject content =
                    op.getJsonObject("requestBody", new JsonObject()).getJsonObject("content");
                if (content != null) {
                  content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
                  // An upload of CSV or NDJSON only: nothing here for a JSON validator.
                  if (content.isEmpty()) {
                    op.remove("requestBody");
                  }
                }
              }
            });
    return view;
  }

  private static void withoutContent(Map.Entry<String, Object> response) {
    if (response.getValue() instanceof JsonObject r) {
      r.remove("content");
    }
  }

  /**
   * The handler that checks the JSON body of operation {@code operationId} (its id in the
   * contract); it fails at mount when the contract has no such operation or no JSON body for it.
   */
  public Handler<RoutingContext> body(String operationId) {
    Validator validator = validator(operationId);
    return ctx -> {
      if (ctx.body().available() && !ctx.body().isEmpty() && json(ctx)) {
        List<FieldError> errors = errors(validator.validate(JsonBodies.object(ctx)));
        if (!errors.isEmpty()) {
          throw new ValidationException(errors);
        }
      }
      ctx.next();
    };
  }

  /**
   * Checks {@code body} as the JSON body of operation {@code operationId}, for a route that reads
   * its body itself (a streamed upload): a 422 naming each field that does not match.
   */
  public void check(String operationId, JsonObject body) {
    List<FieldError> errors = errors(validator(operationId).validate(body));
    if (!errors.isEmpty()) {
      throw new ValidationException(errors);
    }
  }

  private Validator validator(String operationId) {
    OpenAPIContract loaded = contract;
    if (loaded == null) {
      throw new IllegalStateException("the contract is not loaded: start() first");
    }
    Operation op = loaded.operation(operationId);
    if (op == null) {
      throw new IllegalArgumentException("no operation " + operationId + " in the contract");
    }
    MediaType json =
        op.getRequestBody() == null
            ? null
            : op.getRequestBody().getContent().get(MediaType.APPLICATION_JSON);
    if (json == null || json.getSchema() == null) {
      throw new IllegalArgumentException(operationId + " has no JSON body in the contract");
    }
    return loaded.getSchemaRepository().validator(json.getSchema());
  }

  private static boolean json(RoutingContext ctx) {
    String type = ctx.request().getHeader("Content-Type");
    return type == null || type.toLowerCase(Locale.ROOT).startsWith("application/json");
  }

  /** Each field that does not match, once, with the schema keyword it breaks as its code. */
  static List<FieldError> errors(OutputUnit result) {
    List<FieldError> errors = new ArrayList<>();
    if (Boolean.TRUE.equals(result.getValid())) {
      return errors;
    }
    List<OutputUnit> units = new ArrayList<>();
    flatten(result, units);
    Set<String> seen = new HashSet<>();
    for (OutputUnit unit : units) {
      String keyword = keyword(unit.getKeywordLocation());
      // Composite keywords (properties, allOf, $ref...) repeat what their parts say.
      if (composite(keyword)) {
        continue;
      }
      String pointer = pointer(unit.getInstanceLocation());
      String message = unit.getError() == null ? "does not match the contract" : unit.getError();
      if (keyword.equals("required") || keyword.equals("additionalProperties")) {
        Matcher m = (keyword.equals("required") ? REQUIRED : NAMED).matcher(message);
        if (m.find()) {
          pointer = pointer + "/" + m.group(1).replace("~", "~0").replace("/", "~1");
        }
      }
      String field = field(pointer);
      if (seen.add(field)) {
        errors.add(
            new FieldError(
                field, keyword, (pointer.isEmpty() ? "/" : pointer) + ": " + message + "."));
      }
    }
    if (errors.isEmpty()) {
      errors.add(new FieldError("body", "schema", "The body does not match the contract."));
    }
    return errors;
  }

  private static void flatten(OutputUnit unit, List<OutputUnit> out) {
    if (unit.getErrors() == null || unit.getErrors().isEmpty()) {
      if (unit.getError() != null) {
        out.add(unit);
      }
      return;
    }
    for (OutputUnit e : unit.getErrors()) {
      flatten(e, out);
    }
  }

  private static boolean composite(String keyword) {
    return switch (keyword) {
      case "properties",
          "items",
          "prefixItems",
          "allOf",
          "anyOf",
          "oneOf",
          "$ref",
          "$dynamicRef",
          "then",
          "else",
          "unevaluatedProperties" ->
          true;
      default -> false;
    };
  }

  private static String keyword(String location) {
    if (location == null) {
      return "schema";
    }
    int slash = location.lastIndexOf('/');
    return slash < 0 ? location : location.substring(slash + 1);
  }

  /** The instance location as a JSON pointer ("" for the whole body). */
  private static String pointer(String location) {
    if (location == null) {
      return "";
    }
    String p = location.startsWith("#") ? location.substring(1) : location;
    return p.equals("/") ? "" : p;
  }

  /**
   * A JSON pointer as the gateway names fields: {@code /company/country} is {@code
   * company.country}, {@code /items/3/amount} is {@code items[3].amount}; a value of a list is the
   * list's field ({@code /event_types/0} is {@code event_types}, as the routes name it; the pointer
   * is in the error's detail); the whole body is {@code body}.
   */
  static String field(String pointer) {
    if (pointer.isEmpty()) {
      return "body";
    }
    String[] tokens = pointer.substring(1).split("/", -1);
    int named = tokens.length;
    while (named > 1 && index(tokens[named - 1])) {
      named--;
    }
    StringBuilder field = new StringBuilder();
    for (String token : java.util.Arrays.copyOf(tokens, named)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (index(name) && field.length() > 0) {
        field.append('[').append(name).append(']');
      } else {
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(name);
      }
    }
    return field.toString();
  }

  private static boolean index(String token) {
    return !token.isEmpty() && token.chars().allMatch(Character::isDigit);
  }
}
