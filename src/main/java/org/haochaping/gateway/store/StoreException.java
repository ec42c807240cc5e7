package org.haochaping.gateway.store;

/** The database could not do what was asked; the gateway answers 503, never a silent loss. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
