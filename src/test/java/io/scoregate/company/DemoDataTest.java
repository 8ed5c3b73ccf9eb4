package io.scoregate.company;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.scoregate.model.TrainingData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoDataTest {

  static final Path DATA =
      Path.of(
          System.getProperty("scoregate.shared.dir", "../shared"),
          "data",
          "polish-5year-train.csv");
  private static List<DemoData.Profile> profiles;

  @BeforeAll
  static void read() throws Exception {
    TrainingData data = TrainingData.read(DATA);
    profiles = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      profiles.add(new DemoData.Profile(data.rows()[i], data.labels()[i]));
    }
  }

  /** A stand-in score: the equity ratio, so the sandbox picks are checked without the model. */
  private static DemoData demo() {
    return new DemoData(
        profiles,
        f -> Double.isNaN(f[9]) ? 0 : (int) Math.max(0, Math.min(100, Math.round(f[9] * 100))),
        LocalDate.of(2026, 6, 15));
  }

  @Test
  void theSameSeedWritesTheSameFilesAndSirensAreValid(@TempDir Path dir) throws Exception {
    List<Path> a = demo().write(dir.resolve("a"), 300, 7);
    List<Path> b = demo().write(dir.resolve("b"), 300, 7);
    for (int i = 0; i < a.size(); i++) {
      assertThat(Files.readString(a.get(i))).isEqualTo(Files.readString(b.get(i)));
    }
    List<String> companies = Files.readAllLines(a.get(0));
    assertThat(companies).hasSize(1 + 300 + DemoData.SANDBOX.size());
    List<List<String>> rows =
        new CsvMapper()
            .readerForListOf(String.class)
            .with(CsvSchema.emptySchema())
            .with(CsvParser.Feature.WRAP_AS_ARRAY)
            .<List<String>>readValues(a.get(0).toFile())
            .readAll();
    assertThat(rows).hasSize(companies.size());
    for (List<String> row : rows.subList(1, rows.size())) {
      assertThat(row).hasSize(rows.get(0).size());
      String siren = row.get(1);
      assertThat(Identifiers.parse("FR", siren).nationalId()).isEqualTo(siren);
    }
    assertThat(companies).anySatisfy(l -> assertThat(l).contains("000000018"));
    assertThat(Files.readAllLines(a.get(2)))
        .anySatisfy(l -> assertThat(l).contains("000000042").contains("redressement_judiciaire"))
        .anySatisfy(l -> assertThat(l).contains("000000067").contains("liquidation_judiciaire"));
    // 000000075 has no statements; 000000083 is nowhere.
    assertThat(Files.readAllLines(a.get(1))).noneMatch(l -> l.contains("000000075"));
    assertThat(Files.readString(a.get(0))).doesNotContain("000000083");
  }

  @Test
  void rebuiltStatementsReproduceTheProfilesRatios() {
    DemoData demo = demo();
    // The ratios the lines are built from. Others (margins on sales, liquidity mixes) are
    // over-determined, and the training rows are not always consistent with themselves.
    int[] core = {1, 2, 4, 9, 10, 18, 20, 21, 22, 24, 29, 44, 51};
    int checked = 0;
    for (DemoData.Profile p : profiles.subList(0, 300)) {
      double[] back = Ratios.compute(demo.statements(p.ratios(), 0.03));
      for (int attr : core) {
        double want = p.ratios()[attr - 1];
        if (Double.isFinite(want) && Double.isFinite(back[attr - 1])) {
          assertThat(back[attr - 1])
              .as("Attr" + attr)
              .isCloseTo(want, within(1e-6 * Math.max(1, Math.abs(want))));
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(3000);
  }
}
