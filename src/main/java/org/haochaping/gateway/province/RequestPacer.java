package org.haochaping.gateway.province;

import java.util.concurrent.TimeUnit;

/**
 * The per-province rate limit: at most {@code perSecond} requests a second, evenly spaced (a
 * provincial platform counts TPS and refuses bursts). Each caller reserves the next free slot and
 * sleeps until it; 0 means no limit.
 */
public final class RequestPacer {

  private final long intervalNanos;
  private long next;
  private boolean started;

  public RequestPacer(int perSecond) {
    this.intervalNanos = perSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / perSecond;
  }

  /** Reserves a slot at {@code nowNanos}; answers how long to wait for it, in nanoseconds. */
  public synchronized long reserve(long nowNanos) {
    if (intervalNanos == 0) {
      return 0;
    }
    // System.nanoTime() may be negative: compare with the last slot only once there is one
    long slot = started && next - nowNanos > 0 ? next : nowNanos;
    started = true;
    next = slot + intervalNanos;
    return slot - nowNanos;
  }

  /** Waits for the next slot. */
  public void acquire() throws InterruptedException {
    long wait = reserve(System.nanoTime());
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
