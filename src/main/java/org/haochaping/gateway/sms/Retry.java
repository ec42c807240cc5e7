package org.haochaping.gateway.sms;

import java.util.function.Supplier;
import org.haochaping.gateway.store.StoreException;

/**
 * A batched SMS-log write that collided with another node's (two transactions writing the same
 * part row: a receipt and its submit) is simply written again; only a third failure reaches the
 * callers (then the broker or the SMSC redelivers).
 */
final class Retry {

  private Retry() {}

  static <T> T twice(Supplier<T> write) {
    StoreException last = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        return write.get();
      } catch (StoreException e) {
        last = e;
      }
    }
    throw last;
  }
}
