package io.scoregate.monitoring;

import io.scoregate.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls of the portfolio API as one tenant's key. */
final class MonitoringApi {

  final TestGateway gateway;
  final String key;

  MonitoringApi(TestGateway gateway, String key) {
    this.gateway = gateway;
    this.key = key;
  }

  HttpResponse<String> call(String method, String path, String body, String contentType) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(gateway.uri(path))
            .timeout(Duration.ofSeconds(60))
            .header("X-API-Key", key)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    return gateway.send(b.build());
  }

  HttpResponse<String> call(String method, String path, String json) {
    return call(method, path, json, json == null ? null : "application/json");
  }

  HttpResponse<String> get(String path) {
    return call("GET", path, null, null);
  }

  JsonObject json(String method, String path, String body, int expected) {
    HttpResponse<String> r = call(method, path, body);
    if (r.statusCode() != expected) {
      throw new AssertionError(method + " " + path + ": " + r.statusCode() + " " + r.body());
    }
    return new JsonObject(r.body());
  }

  String createPortfolio(String name) {
    return json("POST", "/api/v1/portfolios", new JsonObject().put("name", name).encode(), 201)
        .getString("id");
  }

  void putMember(String portfolio, String reference, String siren, String exposure) {
    HttpResponse<String> r =
        call(
            "PUT",
            "/api/v1/portfolios/" + portfolio + "/members/" + reference,
            "{\"siren\":\"" + siren + "\",\"exposure\":" + exposure + "}");
    if (r.statusCode() != 200 && r.statusCode() != 201) {
      throw new AssertionError("member " + reference + ": " + r.statusCode() + " " + r.body());
    }
  }
}
