package io.scoregate.company;

import static org.assertj.core.api.Assertions.assertThat;

import io.scoregate.support.TestCompanies;
import io.scoregate.support.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Imports against the real Postgres: counts, idempotency, rejected rows, both formats. */
class ImportIT {

  private static Vertx vertx;
  private static Pool pool;

  @TempDir Path dir;

  @BeforeAll
  static void start() {
    TestPostgres.ensureSchema();
    vertx = Vertx.vertx();
    pool = TestPostgres.pool(vertx);
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private ImportReport load(Path file, String kind) throws Exception {
    return ImportCommand.run(pool, file, kind, 3)
        .toCompletionStage()
        .toCompletableFuture()
        .get(60, TimeUnit.SECONDS);
  }

  @Test
  void csvFilesOfEachKindImportAndASecondImportChangesNothing() throws Exception {
    String a = TestCompanies.newSiren();
    String b = TestCompanies.newSiren();
    Path companies = dir.resolve("companies.csv");
    Files.writeString(
        companies,
        "country,national_id,name,legal_form,sector,region,created_on,status\n"
            + "FR,"
            + a
            + ",\"Dupont, Fils et Cie\",SARL,25.62A,Bretagne,1998-02-01,active\n"
            + "FR,"
            + b.substring(0, 3)
            + " "
            + b.substring(3)
            + ",Autre SAS,SAS,,,,\n");
    Path statements = dir.resolve("statements.csv");
    Files.writeString(
        statements,
        "country,national_id,fiscal_year,period_end,total_assets,equity,sales,net_profit\n"
            + "FR,"
            + a
            + ",2024,2024-12-31,1000000,400000,2500000,50000\n"
            + "FR,"
            + a
            + ",2025,2025-12-31,1100000,420000,2700000,\n");
    Path events = dir.resolve("events.csv");
    Files.writeString(
        events,
        "source,external_ref,country,national_id,kind,occurred_on,amount,days_late,proceeding_kind\n"
            + "bank,inc-"
            + a
            + ",FR,"
            + a
            + ",payment_incident,2026-02-01,1200.50,35,\n"
            + "court,rj-"
            + b
            + ",FR,"
            + b
            + ",insolvency_proceeding,2026-03-01,,,redressement_judiciaire\n");

    ImportReport first = load(companies, null);
    assertThat(first.kinds().get("companies")).isEqualTo(new ImportReport.Counts(2, 2, 0, 0, 0));
    assertThat(load(statements, null).kinds().get("statements"))
        .isEqualTo(new ImportReport.Counts(2, 2, 0, 0, 0));
    assertThat(load(events, null).kinds().get("events"))
        .isEqualTo(new ImportReport.Counts(2, 2, 0, 0, 0));

    assertThat(TestPostgres.string("SELECT name FROM companies WHERE national_id = '" + a + "'"))
        .isEqualTo("Dupont, Fils et Cie");
    // Missing stays missing: the unfiled net profit is NULL, not 0.
    assertThat(
            TestPostgres.count(
                "SELECT count(*) FROM financial_statements s JOIN companies c ON c.id = s.company_id"
                    + " WHERE c.national_id = '"
                    + a
                    + "' AND s.fiscal_year = 2025 AND s.net_profit IS NULL"))
        .isEqualTo(1);

    for (Path file : new Path[] {companies, statements, events}) {
      ImportReport again = load(file, null);
      assertThat(again.changed()).isZero();
      assertThat(again.kinds().values()).allSatisfy(c -> assertThat(c.unchanged()).isEqualTo(2));
    }
  }

  @Test
  void aQuotedFieldMaySpanLinesAndRecordsAreReportedByTheLineTheyStartOn() throws Exception {
    String a = TestCompanies.newSiren();
    String b = TestCompanies.newSiren();
    Path companies = dir.resolve("companies.csv");
    Files.writeString(
        companies,
        "country,national_id,name,legal_form\n"
            + "FR,"
            + a
            + ",\"Atelier \"\"Nord\"\", Lille\nsite 2\",SARL\n"
            + "\n"
            + "FR,123456789,Bad Checksum SAS,SAS\n"
            + "FR,"
            + b
            + ",Suivante SAS,SAS\n"
            + "FR,"
            + TestCompanies.newSiren()
            + ",\"Never Closed SAS,SAS\n"
            + "FR,000000018,Swallowed SAS,SAS\n");

    ImportReport report = load(companies, null);

    assertThat(TestPostgres.string("SELECT name FROM companies WHERE national_id = '" + a + "'"))
        .isEqualTo("Atelier \"Nord\", Lille\nsite 2");
    assertThat(TestPostgres.string("SELECT name FROM companies WHERE national_id = '" + b + "'"))
        .isEqualTo("Suivante SAS");
    // Read: the two good ones, the bad checksum, and the unterminated record (which runs to the
    // end of the file, so the line after it is part of it, not a record of its own).
    assertThat(report.kinds().get("companies")).isEqualTo(new ImportReport.Counts(4, 2, 0, 0, 2));
    assertThat(report.firstErrors()).hasSize(2);
    assertThat(report.firstErrors().get(0)).startsWith("line 5: ");
    assertThat(report.firstErrors().get(1)).startsWith("line 7: ").contains("quote");
  }

  @Test
  void aChangedRowIsUpdatedAndCountedSo() throws Exception {
    String a = TestCompanies.newSiren();
    Path v1 = dir.resolve("companies-v1.csv");
    Files.writeString(v1, "country,national_id,name\nFR," + a + ",Before SAS\n");
    Path v2 = dir.resolve("companies-v2.csv");
    Files.writeString(v2, "country,national_id,name\nFR," + a + ",After SAS\n");
    load(v1, null);
    assertThat(load(v2, null).kinds().get("companies"))
        .isEqualTo(new ImportReport.Counts(1, 0, 1, 0, 0));
    assertThat(TestPostgres.string("SELECT name FROM companies WHERE national_id = '" + a + "'"))
        .isEqualTo("After SAS");
  }

  @Test
  void mixedNdjsonImportsInOrder() throws Exception {
    String a = TestCompanies.newSiren();
    Path file = dir.resolve("feed.ndjson");
    Files.writeString(
        file,
        "{\"type\":\"company\",\"country\":\"FR\",\"national_id\":\""
            + a
            + "\",\"name\":\"Flux SAS\"}\n"
            + "{\"type\":\"statement\",\"country\":\"FR\",\"national_id\":\""
            + a
            + "\",\"fiscal_year\":2025,\"total_assets\":500000,\"sales\":900000}\n"
            + "{\"type\":\"event\",\"source\":\"court\",\"external_ref\":\"lj-"
            + a
            + "\",\"country\":\"FR\",\"national_id\":\""
            + a
            + "\",\"kind\":\"insolvency_proceeding\",\"occurred_on\":\"2026-01-05\","
            + "\"proceeding_kind\":\"liquidation_judiciaire\"}\n");

    ImportReport report = load(file, null);

    assertThat(report.kinds()).containsKeys("companies", "statements", "events");
    assertThat(report.changed()).isEqualTo(3);
    assertThat(load(file, null).changed()).isZero();
  }

  @Test
  void badRowsAreRejectedWithTheirLineAndTheRestIsImported() throws Exception {
    String good = TestCompanies.newSiren();
    String unknown = TestCompanies.newSiren();
    Path companies = dir.resolve("companies-bad.csv");
    Files.writeString(
        companies,
        "country,national_id,name,created_on\n"
            + "FR,123456789,Bad Checksum,\n"
            + "FR,"
            + good
            + ",Good SAS,2001-01-01\n"
            + "FR,"
            + TestCompanies.newSiren()
            + ",,\n"
            + "FR,"
            + TestCompanies.newSiren()
            + ",Bad Date,01/02/2003\n"
            + "FR,too,many,columns,here\n");
    ImportReport report = load(companies, "companies");
    assertThat(report.kinds().get("companies")).isEqualTo(new ImportReport.Counts(5, 1, 0, 0, 4));
    assertThat(report.firstErrors())
        .hasSize(4)
        .anySatisfy(e -> assertThat(e).startsWith("line 2:").contains("Luhn"))
        .anySatisfy(e -> assertThat(e).startsWith("line 4:").contains("name"))
        .anySatisfy(e -> assertThat(e).startsWith("line 5:").contains("created_on"));

    Path statements = dir.resolve("statements-bad.csv");
    Files.writeString(
        statements,
        "country,national_id,fiscal_year,total_assets\n"
            + "FR,"
            + good
            + ",2025,abc\n"
            + "FR,"
            + unknown
            + ",2025,1000\n"
            + "FR,"
            + good
            + ",2025,1000\n");
    ImportReport st = load(statements, null);
    assertThat(st.kinds().get("statements")).isEqualTo(new ImportReport.Counts(3, 1, 0, 0, 2));
    assertThat(st.firstErrors())
        .anySatisfy(e -> assertThat(e).startsWith("line 2:").contains("total_assets"))
        .anySatisfy(e -> assertThat(e).startsWith("line 3:").contains("no company"));

    Path events = dir.resolve("events-bad.csv");
    Files.writeString(
        events,
        "source,external_ref,country,national_id,kind,occurred_on,proceeding_kind\n"
            + "x,1,FR,"
            + good
            + ",earthquake,2026-01-01,\n"
            + "x,2,FR,"
            + good
            + ",insolvency_proceeding,2026-01-01,\n");
    assertThat(load(events, null).kinds().get("events"))
        .isEqualTo(new ImportReport.Counts(2, 0, 0, 0, 2));
  }
}
