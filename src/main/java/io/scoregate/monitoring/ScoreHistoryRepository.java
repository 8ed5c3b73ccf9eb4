package io.scoregate.monitoring;

import io.scoregate.company.CompanyKey;
import io.scoregate.scoring.ScoreRepository;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The append-only score history ({@code score_history}) and the current score it is compared with.
 * Writes run on the caller's transaction; pages are read newest first, by keyset.
 */
final class ScoreHistoryRepository {

  /** A page of history and the cursor of the next one (null on the last page). */
  record Page(JsonArray items, String next) {}

  private static final String CURRENT_SQL =
      "SELECT company_id, score, pd, grade, risk_level, model_version FROM company_scores"
          + " WHERE company_id = ANY($1)";

  private static final String APPEND_SQL =
      """
      INSERT INTO score_history (company_id, score, pd, grade, risk_level, model_version, cause,
                                 cause_event_id, recorded_at)
      SELECT * FROM unnest($1::bigint[], $2::int[], $3::float8[], $4::text[], $5::text[],
                           $6::text[], $7::text[], $8::bigint[], $9::timestamptz[])
      """;

  private static final String PAGE_SQL =
      """
      SELECT h.id, h.score, h.pd, h.grade, h.risk_level, h.model_version, h.cause,
             h.cause_event_id, e.kind AS cause_event_kind, h.recorded_at
      FROM score_history h
      JOIN companies c ON c.id = h.company_id
      LEFT JOIN company_events e ON e.id = h.cause_event_id
      WHERE c.country = $1 AND c.national_id = $2
        AND ($3::timestamptz IS NULL OR (h.recorded_at, h.id) < ($3, $4))
      ORDER BY h.recorded_at DESC, h.id DESC
      LIMIT $5
      """;

  private static final String EXISTS_SQL =
      "SELECT 1 FROM companies WHERE country = $1 AND national_id = $2";

  private final SqlClient client;

  ScoreHistoryRepository(SqlClient client) {
    this.client = client;
  }

  /** The current scores on file of these companies, by company id (absent: none yet). */
  Future<Map<Long, ScoreSnapshot>> current(Long[] companyIds) {
    return client
        .preparedQuery(CURRENT_SQL)
        .execute(Tuple.of((Object) companyIds))
        .map(
            rows -> {
              Map<Long, ScoreSnapshot> out = new HashMap<>();
              for (Row r : rows) {
                double pd = r.getDouble("pd");
                String grade = r.getString("grade");
                out.put(
                    r.getLong("company_id"),
                    new ScoreSnapshot(
                        r.getInteger("score"),
                        pd,
                        // rows written before grades were stored
                        grade == null ? ScoreRepository.grade(pd) : grade,
                        r.getString("risk_level"),
                        r.getString("model_version")));
              }
              return out;
            });
  }

  /** A history row per change, in one statement. */
  Future<Void> append(List<ScoreChange> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture();
    }
    int n = changes.size();
    Long[] companies = new Long[n];
    Integer[] scores = new Integer[n];
    Double[] pds = new Double[n];
    String[] grades = new String[n];
    String[] levels = new String[n];
    String[] models = new String[n];
    String[] causes = new String[n];
    Long[] causeEvents = new Long[n];
    OffsetDateTime[] at = new OffsetDateTime[n];
    for (int i = 0; i < n; i++) {
      ScoreChange change = changes.get(i);
      ScoreSnapshot s = change.after();
      companies[i] = change.companyId();
      scores[i] = s.score();
      pds[i] = s.pd();
      grades[i] = s.grade();
      levels[i] = s.riskLevel();
      models[i] = s.modelVersion();
      causes[i] = change.cause();
      causeEvents[i] = change.causeEventId();
      at[i] = OffsetDateTime.ofInstant(change.at(), ZoneOffset.UTC);
    }
    return client
        .preparedQuery(APPEND_SQL)
        .execute(
            Tuple.from(
                new Object[] {
                  companies, scores, pds, grades, levels, models, causes, causeEvents, at
                }))
        .mapEmpty();
  }

  /** Whether a company with this identifier is on file. */
  Future<Boolean> exists(CompanyKey key) {
    return client
        .preparedQuery(EXISTS_SQL)
        .execute(Tuple.of(key.country(), key.nationalId()))
        .map(rows -> rows.size() > 0);
  }

  /** Newest first; {@code cursor} is the {@code next} of the previous page, or null. */
  Future<Page> page(CompanyKey key, String cursor, int limit) {
    OffsetDateTime at = null;
    Long id = null;
    if (cursor != null) {
      Cursor c = Cursor.parse(cursor);
      at = OffsetDateTime.ofInstant(c.at(), ZoneOffset.UTC);
      id = c.id();
    }
    return client
        .preparedQuery(PAGE_SQL)
        .execute(Tuple.of(key.country(), key.nationalId(), at, id, limit + 1))
        .map(
            rows -> {
              JsonArray items = new JsonArray();
              String next = null;
              for (Row r : rows) {
                Instant recorded = r.getOffsetDateTime("recorded_at").toInstant();
                if (items.size() == limit) {
                  break;
                }
                JsonObject item =
                    new JsonObject()
                        .put("score", r.getInteger("score"))
                        .put("pd", r.getDouble("pd"))
                        .put("grade", r.getString("grade"))
                        .put("risk_level", r.getString("risk_level"))
                        .put("model_version", r.getString("model_version"))
                        .put("cause", r.getString("cause"))
                        .put("recorded_at", recorded.toString());
                Long eventId = r.getLong("cause_event_id");
                if (eventId != null) {
                  item.put(
                      "cause_event",
                      new JsonObject()
                          .put("id", eventId)
                          .put("kind", r.getString("cause_event_kind")));
                }
                items.add(item);
                if (items.size() == limit && rows.size() > limit) {
                  next = new Cursor(recorded, r.getLong("id")).encode();
                }
              }
              return new Page(items, next);
            });
  }

  /** Where a page ended: the last row's time and id, opaque to clients. */
  record Cursor(Instant at, long id) {
    String encode() {
      String raw = at.toString() + "|" + id;
      return java.util.Base64.getUrlEncoder()
          .withoutPadding()
          .encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Fails with {@link IllegalArgumentException} on anything this class did not write. */
    static Cursor parse(String text) {
      try {
        String raw =
            new String(
                java.util.Base64.getUrlDecoder().decode(text),
                java.nio.charset.StandardCharsets.UTF_8);
        int bar = raw.indexOf('|');
        return new Cursor(
            Instant.parse(raw.substring(0, bar)), Long.parseLong(raw.substring(bar + 1)));
      } catch (RuntimeException e) {
        throw new IllegalArgumentException("not a cursor of this list", e);
      }
    }
  }
}
