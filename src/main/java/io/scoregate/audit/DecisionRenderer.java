package io.scoregate.audit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Turns a decision journaled by reference back into the document it answered (the answer, who
 * asked, the data used). The unit that writes answers implements it; the application wires it.
 */
public interface DecisionRenderer {

  /**
   * @param assessment the assessment the decision referenced, its canonical body parsed
   */
  Future<JsonObject> render(JournalEntry decision, JsonObject assessment);
}
