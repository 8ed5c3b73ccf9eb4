package io.scoregate.scoring;

import io.scoregate.problem.ProblemException;
import java.util.Map;

/**
 * A call whose answer was already due when its work would have begun: the work was not done. Its
 * client has had the request timeout's 503 by then, so this one is only logged if nothing answered.
 */
public final class LateCallException extends ProblemException {

  public LateCallException() {
    super(
        503,
        "service-unavailable",
        "Service unavailable",
        "The call took longer than this service allows; retry later.",
        Map.of(),
        "past its deadline before the work began",
        null);
  }
}
