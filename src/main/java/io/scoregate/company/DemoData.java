package io.scoregate.company;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.ToIntFunction;

/**
 * Writes a demo portfolio of French companies as import files (companies.csv, statements.csv,
 * events.csv), streamed so that a million companies take no more memory than ten.
 *
 * <p>Each company's three years of statements are built back from one row of real ratios (the
 * training file): size from Attr29, then the lines that reproduce the row's ratios, so that the
 * portfolio has the real distribution of financial profiles, bankrupt firms included. A few percent
 * get payment incidents and about one percent insolvency proceedings, more often the distressed
 * ones. The sandbox companies partners try first are always there.
 */
public final class DemoData {

  static final String[] REGIONS = {
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur"
  };
  private static final double[] REGION_WEIGHTS = {
    12, 4, 5, 3.5, 0.5, 7.5, 8, 31, 4.5, 8.5, 8, 5, 8
  };
  private static final String[][] SECTORS = {
    {"25.62A", "Usinage", "20"},
    {"25.11Z", "Constructions métalliques", "8"},
    {"22.29A", "Plasturgie", "6"},
    {"28.29B", "Machines", "6"},
    {"10.71C", "Boulangerie", "5"},
    {"16.23Z", "Menuiserie", "5"},
    {"33.12Z", "Maintenance industrielle", "6"},
    {"46.69B", "Négoce industriel", "10"},
    {"46.73A", "Négoce de matériaux", "6"},
    {"49.41A", "Transports", "8"},
    {"43.21A", "Électricité", "8"},
    {"62.02A", "Conseil informatique", "6"},
    {"71.12B", "Ingénierie", "6"}
  };
  private static final String[] LEGAL_FORMS = {"SAS", "SARL", "SA", "SASU", "EURL"};
  private static final double[] LEGAL_FORM_WEIGHTS = {45, 35, 8, 8, 4};
  private static final String[] FAMILY_NAMES = {
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefèvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez"
  };
  private static final String[] PLACES = {
    "du Rhône", "de l'Ouest", "Alpes", "Atlantique", "de Provence", "du Nord", "de Loire",
    "Occitane", "de Bourgogne", "d'Alsace", "Normande", "Bretonne", "de Champagne", "du Centre"
  };

  /** A sandbox company: its SIREN, name, and what it is there to show. */
  public record Sandbox(String siren, String name, String role) {}

  public static final List<Sandbox> SANDBOX =
      List.of(
          new Sandbox("000000018", "Sandbox Robuste SAS", "healthy: accept"),
          new Sandbox("000000026", "Sandbox Moyenne SARL", "medium risk: accept_with_monitoring"),
          new Sandbox("000000034", "Sandbox Fragile SAS", "high risk: manual_review"),
          new Sandbox("000000042", "Sandbox Redressement SAS", "redressement judiciaire: refuse"),
          new Sandbox("000000059", "Sandbox Retards SARL", "payment incidents: notched down"),
          new Sandbox("000000067", "Sandbox Liquidation SARL", "liquidation judiciaire: score 0"),
          new Sandbox("000000075", "Sandbox Nouvelle SAS", "no statements: manual_review"));

  /** A profile of real ratios with its default label. */
  public record Profile(double[] ratios, int bankrupt) {}

  private final List<Profile> profiles;
  private final ToIntFunction<double[]> score;
  private final LocalDate today;
  private final int latestYear;

  /**
   * @param score the 0-100 score the current model gives a feature vector; used only to pick the
   *     sandbox companies' profiles, so that each shows its outcome with the shipped model
   */
  public DemoData(List<Profile> profiles, ToIntFunction<double[]> score, LocalDate today) {
    this.profiles = List.copyOf(profiles);
    this.score = score;
    this.today = today;
    this.latestYear = today.getMonthValue() >= 7 ? today.getYear() - 1 : today.getYear() - 2;
  }

  /** The SIREN of the i-th generated company: 1xxxxxxxc, never one of the sandbox's. */
  public static String siren(int i) {
    String body = String.format(Locale.ROOT, "%08d", 10_000_000 + i);
    return body + Identifiers.luhnCheckDigit(body);
  }

  /** Writes the three files into {@code dir} and returns their paths, companies first. */
  public List<Path> write(Path dir, int companies, long seed) throws IOException {
    Files.createDirectories(dir);
    Path companiesCsv = dir.resolve("companies.csv");
    Path statementsCsv = dir.resolve("statements.csv");
    Path eventsCsv = dir.resolve("events.csv");
    Random random = new Random(seed);
    try (BufferedWriter c = Files.newBufferedWriter(companiesCsv, StandardCharsets.UTF_8);
        BufferedWriter s = Files.newBufferedWriter(statementsCsv, StandardCharsets.UTF_8);
        BufferedWriter e = Files.newBufferedWriter(eventsCsv, StandardCharsets.UTF_8)) {
      c.write("country,national_id,name,legal_form,sector,region,created_on,status\n");
      s.write(
          "country,national_id,fiscal_year,period_end,currency,"
              + String.join(",", CompanyRepository.LINE_COLUMNS)
              + "\n");
      e.write(
          "source,external_ref,country,national_id,kind,occurred_on,amount,days_late,"
              + "proceeding_kind,closed_on\n");
      writeSandbox(c, s, e);
      for (int i = 0; i < companies; i++) {
        String siren = siren(i);
        Profile profile = profiles.get(random.nextInt(profiles.size()));
        String sector = pickSector(random);
        String form = pick(LEGAL_FORMS, LEGAL_FORM_WEIGHTS, random);
        c.write(
            String.join(
                    ",",
                    "FR",
                    siren,
                    quote(name(random, sector, form)),
                    form,
                    sector,
                    quote(pick(REGIONS, REGION_WEIGHTS, random)),
                    today.minusDays(365L + random.nextInt(365 * 40)).toString(),
                    "active")
                + "\n");
        writeStatements(s, siren, profile.ratios(), random.nextDouble() * 0.1 - 0.02);
        writeEvents(e, siren, profile, random);
      }
    }
    return List.of(companiesCsv, statementsCsv, eventsCsv);
  }

  private void writeSandbox(BufferedWriter c, BufferedWriter s, BufferedWriter e)
      throws IOException {
    for (Sandbox box : SANDBOX) {
      c.write(
          String.join(
                  ",",
                  "FR",
                  box.siren(),
                  quote(box.name()),
                  box.name().endsWith("SAS") ? "SAS" : "SARL",
                  "25.62A",
                  "Auvergne-Rhône-Alpes",
                  "2004-05-17",
                  "active")
              + "\n");
    }
    // Scores well inside the default policy's bands: low >= 70, medium 50-69, high 30-49.
    Profile healthy = pickProfile(82, 100, false);
    Profile medium = pickProfile(56, 63, true);
    Profile high = pickProfile(36, 43, true);
    writeStatements(s, "000000018", healthy.ratios(), 0.02);
    writeStatements(s, "000000026", medium.ratios(), 0.02);
    writeStatements(s, "000000034", high.ratios(), 0.02);
    writeStatements(s, "000000042", medium.ratios(), 0.02);
    writeStatements(s, "000000059", healthy.ratios(), 0.02);
    writeStatements(s, "000000067", high.ratios(), 0.02);
    LocalDate recent = today.minusMonths(3);
    event(
        e,
        "sandbox-042-rj",
        "000000042",
        "insolvency_proceeding",
        recent,
        "",
        "",
        "redressement_judiciaire");
    event(
        e,
        "sandbox-059-incident-1",
        "000000059",
        "payment_incident",
        today.minusMonths(2),
        "18500",
        "45",
        "");
    event(
        e,
        "sandbox-059-incident-2",
        "000000059",
        "payment_incident",
        today.minusMonths(7),
        "7200",
        "30",
        "");
    event(
        e,
        "sandbox-067-lj",
        "000000067",
        "insolvency_proceeding",
        today.minusMonths(1),
        "",
        "",
        "liquidation_judiciaire");
  }

  /**
   * The first profile (in file order, so the choice is stable) whose rebuilt statements score in
   * the given range, and whose sales allow the README's example of 50,000 euros over 60 days.
   */
  private Profile pickProfile(int minScore, int maxScore, boolean bankruptAllowed) {
    for (Profile p : profiles) {
      if (p.bankrupt() == 1 && !bankruptAllowed) {
        continue;
      }
      List<StatementLines> lines = statements(p.ratios(), 0.02);
      int s = score.applyAsInt(Ratios.compute(lines));
      if (s >= minScore && s <= maxScore && lines.get(0).sales() >= 5_000_000) {
        return p;
      }
    }
    throw new IllegalStateException("no training profile scores " + minScore + "-" + maxScore);
  }

  private void writeStatements(BufferedWriter out, String siren, double[] ratios, double growth)
      throws IOException {
    for (StatementLines lines : statements(ratios, growth)) {
      StringBuilder row = new StringBuilder(400);
      row.append("FR,")
          .append(siren)
          .append(',')
          .append(lines.fiscalYear())
          .append(',')
          .append(lines.fiscalYear())
          .append("-12-31,EUR");
      for (double v : CompanyRepository.values(lines)) {
        row.append(',');
        if (!Double.isNaN(v)) {
          row.append(Math.round(v * 100) / 100.0); // cents; plain toString is fast at 1M rows
        }
      }
      out.write(row.append('\n').toString());
    }
  }

  private void writeEvents(BufferedWriter out, String siren, Profile profile, Random random)
      throws IOException {
    double distress = profile.bankrupt() == 1 ? 6 : 1;
    if (random.nextDouble() < 0.03 * distress / 1.35) {
      int n = 1 + random.nextInt(3);
      for (int k = 0; k < n; k++) {
        event(
            out,
            "demo-" + siren + "-pi" + k,
            siren,
            "payment_incident",
            today.minusDays(random.nextInt(365)),
            Integer.toString(1000 + random.nextInt(60_000)),
            Integer.toString(15 + random.nextInt(120)),
            "");
      }
    }
    if (random.nextDouble() < 0.01 * distress / 1.35) {
      double u = random.nextDouble();
      String kind =
          u < 0.2 ? "sauvegarde" : u < 0.7 ? "redressement_judiciaire" : "liquidation_judiciaire";
      event(
          out,
          "demo-" + siren + "-ip",
          siren,
          "insolvency_proceeding",
          today.minusDays(random.nextInt(400)),
          "",
          "",
          kind);
    }
  }

  private static void event(
      BufferedWriter out,
      String ref,
      String siren,
      String kind,
      LocalDate on,
      String amount,
      String daysLate,
      String proceeding)
      throws IOException {
    out.write(
        String.join(
                ",",
                "demo",
                ref,
                "FR",
                siren,
                kind,
                on.toString(),
                amount,
                daysLate,
                proceeding,
                "")
            + "\n");
  }

  /**
   * Three years of statement lines (newest first) that reproduce the ratios of a profile: the
   * newest year exactly where the definitions allow, the two before scaled back by {@code growth} a
   * year (sales by the profile's own growth when it has one).
   */
  List<StatementLines> statements(double[] r, double growth) {
    double size = Double.isNaN(r[28]) ? 4.17 : r[28];
    double ta = Math.pow(10, size) * 1000;
    double stl = r[50] * ta;
    double tl = r[1] * ta;
    double ltl = Double.isNaN(tl) || Double.isNaN(stl) ? Double.NaN : Math.max(0, tl - stl);
    double ca = r[3] * stl;
    double sales = r[8] * ta;
    double inv = r[19] * sales / 365;
    double rec = r[43] * sales / 365;
    double cogs =
        !Double.isNaN(r[46]) && r[46] > 0 && inv > 0 ? inv * 365 / r[46] : sales * (1 - r[55]);
    double gp = r[17] * ta;
    double dep = r[12] * sales - gp;
    double cashAndSecurities = r[39] * stl;
    double eq = r[9] * ta;
    double op = r[21] * ta;
    double fe = Double.isNaN(r[26]) || r[26] == 0 ? Double.NaN : op / r[26];
    double interest = r[13] * ta - gp;
    double[] v = {
      ta,
      ta - ca,
      ca,
      inv,
      rec,
      cashAndSecurities,
      0,
      eq,
      eq - r[24] * ta,
      r[5] * ta,
      tl,
      stl,
      ltl,
      sales,
      cogs,
      r[32] * stl,
      r[57] * sales,
      r[34] * ta,
      op,
      fe,
      interest,
      r[10] * ta - gp - (Double.isNaN(fe) ? 0 : fe),
      gp,
      r[6] * ta,
      dep,
      r[0] * ta
    };
    StatementLines newest = CompanyRepository.lines(latestYear, v);
    double salesGrowth = Double.isNaN(r[20]) || r[20] <= 0 ? Double.NaN : r[20];
    double threeYearGp = r[23] * ta;
    double earlierGp = (threeYearGp - gp) / 2;
    List<StatementLines> out = new ArrayList<>(3);
    out.add(newest);
    for (int back = 1; back <= 2; back++) {
      double scale = Math.pow(1 + growth, -back);
      double[] w = new double[v.length];
      for (int j = 0; j < v.length; j++) {
        w[j] = v[j] * scale;
      }
      // Sales growth and three-year gross profit are ratios of the profile too.
      w[13] = back == 1 ? sales / salesGrowth : sales / salesGrowth * scale;
      w[22] = earlierGp;
      out.add(CompanyRepository.lines(latestYear - back, w));
    }
    return out;
  }

  private static String name(Random random, String sector, String form) {
    String activity = "Entreprise";
    for (String[] s : SECTORS) {
      if (s[0].equals(sector)) {
        activity = s[1];
      }
    }
    String who = FAMILY_NAMES[random.nextInt(FAMILY_NAMES.length)];
    return random.nextBoolean()
        ? activity + " " + who + " " + form
        : activity + " " + PLACES[random.nextInt(PLACES.length)] + " " + form;
  }

  private static String pickSector(Random random) {
    double total = 0;
    for (String[] s : SECTORS) {
      total += Double.parseDouble(s[2]);
    }
    double u = random.nextDouble() * total;
    for (String[] s : SECTORS) {
      u -= Double.parseDouble(s[2]);
      if (u <= 0) {
        return s[0];
      }
    }
    return SECTORS[0][0];
  }

  private static String pick(String[] values, double[] weights, Random random) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < values.length; i++) {
      u -= weights[i];
      if (u <= 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }

  /** A CSV field: quoted when it holds a comma or a quote (RFC 4180), as the importer reads it. */
  private static String quote(String value) {
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
