package io.scoregate.app;

import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Routes the logging of libraries that do not use SLF4J to it, so that every line the process
 * writes goes through the JSON layout: {@code System.Logger} by the SLF4J provider on the class
 * path (nothing to do here), {@code java.util.logging} by its bridge, installed once at start.
 */
final class LibraryLogging {

  private LibraryLogging() {}

  static synchronized void install() {
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
