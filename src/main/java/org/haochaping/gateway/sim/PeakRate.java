package org.haochaping.gateway.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Counts events in a sliding window and remembers the most seen in any window: "the gateway never
 * sent more than N submit_sm in any one second". A window is half-open: events exactly one window
 * apart are never counted together. Not thread-safe.
 */
public final class PeakRate {

  private final long windowNanos;
  private final ArrayDeque<Long> recent = new ArrayDeque<>();
  private int peak;

  PeakRate(Duration window) {
    this.windowNanos = window.toNanos();
  }

  /** Records an event at {@code nanos} (non-decreasing) and returns the count in the window ending there. */
  int record(long nanos) {
    evictBefore(nanos);
    recent.addLast(nanos);
    peak = Math.max(peak, recent.size());
    return recent.size();
  }

  /** Events in the window that ends at {@code nanos}, without recording one. */
  int countAt(long nanos) {
    evictBefore(nanos);
    return recent.size();
  }

  int peak() {
    return peak;
  }

  void clear() {
    recent.clear();
    peak = 0;
  }

  private void evictBefore(long nanos) {
    while (!recent.isEmpty() && nanos - recent.peekFirst() >= windowNanos) {
      recent.removeFirst();
    }
  }

  /**
   * The largest number of the timestamps (in any order, e.g. {@link SubmittedPart#receivedNanos()})
   * that fall into one window.
   */
  public static int maxInAnyWindow(long[] timestampsNanos, Duration window) {
    long w = window.toNanos();
    long[] t = timestampsNanos.clone();
    Arrays.sort(t);
    int best = 0;
    int start = 0;
    for (int end = 0; end < t.length; end++) {
      while (t[end] - t[start] >= w) {
        start++;
      }
      best = Math.max(best, end - start + 1);
    }
    return best;
  }
}
