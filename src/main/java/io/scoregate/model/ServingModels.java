package io.scoregate.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The models this instance serves right now: the champion, whose scores decide, and optionally a
 * shadow, scored beside it for comparison only. Swapped atomically as a pair: a call reads the
 * line-up once and finishes with the models it read, so a swap never fails an in-flight call.
 */
public final class ServingModels {

  /** The champion and the shadow (null when none) served together. */
  public record Lineup(ScoringModel champion, ScoringModel shadow) {
    public String shadowVersion() {
      return shadow == null ? null : shadow.version();
    }
  }

  private volatile Lineup lineup;
  private final List<Consumer<Lineup>> championListeners = new CopyOnWriteArrayList<>();

  public ServingModels(ScoringModel champion) {
    this.lineup = new Lineup(champion, null);
  }

  public Lineup lineup() {
    return lineup;
  }

  public ScoringModel champion() {
    return lineup.champion();
  }

  /** Serves a new line-up; listeners hear of it when the champion changed. */
  public void serve(ScoringModel champion, ScoringModel shadow) {
    Lineup previous = lineup;
    Lineup next = new Lineup(champion, shadow);
    lineup = next;
    if (!previous.champion().version().equals(champion.version())) {
      championListeners.forEach(listener -> listener.accept(next));
    }
  }

  /** Called after each change of champion, e.g. to drop scores computed by the previous one. */
  public void onChampionChange(Consumer<Lineup> listener) {
    championListeners.add(listener);
  }
}
