package io.scoregate.audit;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Decision ids are UUID version 7 (RFC 9562): time-ordered, so journal inserts stay at the end of
 * the index, and unguessable, so one tenant cannot enumerate another's decisions.
 */
public final class DecisionIds {

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public DecisionIds(Clock clock) {
    this.clock = clock;
  }

  public UUID next() {
    long millis = clock.millis();
    byte[] r = new byte[10];
    random.nextBytes(r);
    long high = (millis << 16) | 0x7000L | ((r[0] & 0x0FL) << 8) | (r[1] & 0xFFL);
    long low = 0x8000000000000000L | ((r[2] & 0x3FL) << 56);
    for (int i = 3; i < 10; i++) {
      low |= (r[i] & 0xFFL) << (8 * (9 - i));
    }
    return new UUID(high, low);
  }
}
