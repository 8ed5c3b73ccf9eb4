package io.scoregate.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.ManualClock;
import io.scoregate.support.TestGateway;
import io.scoregate.support.TestPostgres;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS switched on by configuration, with a certificate made for the test. */
class TlsIT {

  @TempDir Path dir;

  @Test
  void withTlsOnTheGatewayAnswersOverHttpsWithItsCertificate() throws Exception {
    TestPostgres.ensureSchema();
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl =
        new ProcessBuilder(
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "2",
                "-subj",
                "/CN=localhost",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                key.toString(),
                "-out",
                cert.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(openssl.waitFor()).isZero();

    try (TestGateway gateway =
        TestGateway.start(
            new ManualClock(Instant.now()),
            Map.of(
                "SCOREGATE_HTTP_TLS_ENABLED", "true",
                "SCOREGATE_HTTP_TLS_CERT_PATH", cert.toString(),
                "SCOREGATE_HTTP_TLS_KEY_PATH", key.toString()))) {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(cert)) {
        trust.setCertificateEntry(
            "gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);
      HttpClient https = HttpClient.newBuilder().sslContext(ssl).build();
      String url = gateway.uri("/health/live").toString().replace("http://", "https://");
      HttpResponse<String> response =
          https.send(
              HttpRequest.newBuilder(java.net.URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.sslSession()).isPresent();
      // Plain HTTP is not served on the TLS port.
      assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> gateway.get("/health/live")))
          .isNotNull();
    }
  }
}
