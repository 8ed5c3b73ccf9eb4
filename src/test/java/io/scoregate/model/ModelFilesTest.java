package io.scoregate.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The validation report for people is the shipped one, byte for byte, when rendered again from the
 * shipped JSON report.
 */
class ModelFilesTest {

  private static byte[] shipped(String name) throws IOException {
    try (InputStream in = ModelFilesTest.class.getResourceAsStream("/models/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void theShippedReportRendersToTheShippedMarkdown() throws Exception {
    JsonNode report = new ObjectMapper().readTree(shipped("validation-report-1.1.0.json"));
    assertThat(
            ValidationReportMarkdown.render(report)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(shipped("validation-report-1.1.0.md"));
  }
}
