package io.scoregate.reporting;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.WriteStream;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PreparedStatement;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowStream;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Reads a query's rows through a Postgres cursor, a fetch at a time, so that millions of rows pass
 * in constant memory; a slow reader (a download) pauses the cursor instead of buffering.
 */
final class RowStreams {

  private static final int FETCH = 2_000;

  private RowStreams() {}

  /** Runs every row through {@code each}, in order. */
  static Future<Void> each(Pool pool, String sql, Tuple params, Consumer<Row> each) {
    return pool.withTransaction(conn -> each(conn, sql, params, each));
  }

  /** The same on a connection whose transaction the caller has begun (a cursor needs one). */
  static Future<Void> each(SqlConnection conn, String sql, Tuple params, Consumer<Row> each) {
    return stream(conn, sql, params, (stream, done) -> stream.handler(guarded(stream, done, each)));
  }

  /**
   * Writes every row, as {@code encode} turns it into bytes, to {@code out} (not ended here),
   * pausing the cursor while {@code out}'s queue is full.
   */
  static Future<Void> pipe(
      Pool pool, String sql, Tuple params, Function<Row, Buffer> encode, WriteStream<Buffer> out) {
    return pool.withTransaction(
        conn ->
            stream(
                conn,
                sql,
                params,
                (stream, done) ->
                    stream.handler(
                        guarded(
                            stream,
                            done,
                            row -> {
                              out.write(encode.apply(row));
                              if (out.writeQueueFull()) {
                                stream.pause();
                                out.drainHandler(v -> stream.resume());
                              }
                            }))));
  }

  /** A row handler whose failure ends the stream with that failure instead of losing it. */
  private static io.vertx.core.Handler<Row> guarded(
      RowStream<Row> stream, Promise<Void> done, Consumer<Row> each) {
    return row -> {
      try {
        each.accept(row);
      } catch (RuntimeException e) {
        stream.close();
        done.tryFail(e);
      }
    };
  }

  private interface Reader {
    void attach(RowStream<Row> stream, Promise<Void> done);
  }

  private static Future<Void> stream(SqlConnection conn, String sql, Tuple params, Reader reader) {
    return conn.prepare(sql)
        .compose(
            (PreparedStatement ps) -> {
              Promise<Void> done = Promise.promise();
              RowStream<Row> stream = ps.createStream(FETCH, params);
              stream.exceptionHandler(done::tryFail);
              stream.endHandler(v -> done.tryComplete());
              try {
                reader.attach(stream, done);
              } catch (RuntimeException e) {
                done.tryFail(e);
              }
              return done.future().eventually(ps::close);
            });
  }
}
