package io.scoregate.rollout;

import java.util.Locale;

/** Where a registered model stands. At most one champion and one shadow at a time. */
public enum ModelStatus {
  /** Registered, not served. */
  CANDIDATE,
  /** Scored beside the champion on live traffic; its scores go to the shadow table only. */
  SHADOW,
  /** Its scores decide. */
  CHAMPION,
  /** Served before, kept for the record and for a rollback. */
  RETIRED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ModelStatus of(String wire) {
    return valueOf(wire.toUpperCase(Locale.ROOT));
  }
}
