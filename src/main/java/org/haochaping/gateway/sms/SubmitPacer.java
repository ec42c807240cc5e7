package org.haochaping.gateway.sms;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Keeps submit_sm under the SMSC's TPS: never more than {@code tps} in any one-second window as the
 * SMSC counts them (by the time it receives each), never a burst above it. A carrier answers
 * ESME_RTHROTTLED (0x58) beyond its TPS and may suspend an account that keeps trying.
 *
 * <p>The rule: the n-th submit may start only one second after the (n - tps)-th has <em>completed</em>
 * (submit_sm_resp received, or failed). The SMSC receives each submit between its start and its
 * completion, so any two submits {@code tps} apart arrive at least a second apart, however the
 * threads are scheduled between taking a ticket and writing to the socket. One ticket per submit_sm,
 * so a two-part SMS costs two.
 *
 * <p>Tickets are also spread evenly, one every {@code 1/tps} s, rather than {@code tps} at once at
 * the start of each second: the rule above then waits out one submit's round trip per slot instead of
 * the tail of a whole burst (measured: 65–83 submit_sm/s at TPS 100 in bursts while delivery receipts
 * came in beside them, docs/benchmarks.md "SMS"), and the SMSC sees no micro-bursts.
 */
public final class SubmitPacer {

  private static final long IN_FLIGHT = Long.MIN_VALUE;

  private final int tps;
  private final long windowNanos = TimeUnit.SECONDS.toNanos(1);
  private final long[] completed; // by ticket % tps: completion time of the latest ticket in that slot
  private long issued;
  private final long spacingNanos;
  private long lastStart;
  private final LongSupplier nanoTime;
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Condition changed = lock.newCondition();

  /** @param tps submit_sm per second; 0 = no limit */
  public SubmitPacer(int tps) {
    this(tps, System::nanoTime);
  }

  SubmitPacer(int tps, LongSupplier nanoTime) {
    if (tps < 0) {
      throw new IllegalArgumentException("tps must be >= 0");
    }
    this.tps = tps;
    this.completed = new long[Math.max(1, tps)];
    this.spacingNanos = windowNanos / Math.max(1, tps);
    this.nanoTime = nanoTime;
  }

  public int tps() {
    return tps;
  }

  /** Waits until one more submit_sm may start; returns its ticket for {@link #done}. */
  public long acquire() throws InterruptedException {
    if (tps == 0) {
      return -1;
    }
    lock.lockInterruptibly();
    try {
      while (true) {
        long now = nanoTime.getAsLong();
        long wait = waitNanos(now);
        if (wait == 0) {
          return take(now);
        }
        if (wait < 0) {
          changed.await(); // the submit tps places back is still in flight
        } else {
          changed.awaitNanos(wait);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** The submit_sm of {@code ticket} completed (answered or failed). */
  public void done(long ticket) {
    if (ticket < 0) {
      return;
    }
    lock.lock();
    try {
      int slot = (int) (ticket % tps);
      if (completed[slot] == IN_FLIGHT) {
        completed[slot] = nanoTime.getAsLong();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Takes a ticket now if one is free; -1 if not (for tests of the arithmetic). */
  long tryAcquire() {
    if (tps == 0) {
      return -1;
    }
    lock.lock();
    try {
      long now = nanoTime.getAsLong();
      return waitNanos(now) == 0 ? take(now) : -2;
    } finally {
      lock.unlock();
    }
  }

  /** 0 = go; > 0 = nanos to wait; < 0 = wait for a completion. */
  private long waitNanos(long now) {
    long wait = issued == 0 ? 0 : lastStart + spacingNanos - now; // evenly spread
    if (issued >= tps) {
      long previous = completed[(int) (issued % tps)]; // the ticket issued - tps
      if (previous == IN_FLIGHT) {
        return -1;
      }
      wait = Math.max(wait, previous + windowNanos - now);
    }
    return Math.max(0, wait);
  }

  private long take(long now) {
    long ticket = issued++;
    completed[(int) (ticket % tps)] = IN_FLIGHT;
    lastStart = now;
    return ticket;
  }
}
