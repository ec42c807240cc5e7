package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The TPS arithmetic on a hand-driven clock: submits a {@code 1/tps} s apart, and the n-th a second
 * after the (n - tps)-th completed.
 */
class SubmitPacerTest {

  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SubmitPacer pacer = new SubmitPacer(3, now::get);

  private static final long THIRD = TimeUnit.SECONDS.toNanos(1) / 3;

  @Test
  void submitsAreSpreadEvenlyOverTheSecond() {
    assertThat(pacer.tryAcquire()).isEqualTo(0);
    assertThat(pacer.tryAcquire()).as("no burst: the next a third of a second later").isEqualTo(-2);
    now.addAndGet(THIRD - 1);
    assertThat(pacer.tryAcquire()).isEqualTo(-2);
    now.addAndGet(1);
    assertThat(pacer.tryAcquire()).isEqualTo(1);
    now.addAndGet(THIRD);
    assertThat(pacer.tryAcquire()).isEqualTo(2);
  }

  @Test
  void theNextWaitsForTheOldestToCompleteAndASecondToPass() {
    long t0 = startThree();
    now.addAndGet(THIRD);
    assertThat(pacer.tryAcquire()).as("first still in flight").isEqualTo(-2);

    pacer.done(t0);
    assertThat(pacer.tryAcquire()).as("first completed just now").isEqualTo(-2);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
    assertThat(pacer.tryAcquire()).isEqualTo(-2);
    now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
    assertThat(pacer.tryAcquire()).isEqualTo(3);
  }

  @Test
  void aSlowResponseDelaysTheWindowFromItsCompletion() {
    long t0 = startThree();
    now.addAndGet(TimeUnit.SECONDS.toNanos(5)); // the first response took five seconds
    pacer.done(t0);
    assertThat(pacer.tryAcquire()).isEqualTo(-2);
    now.addAndGet(TimeUnit.SECONDS.toNanos(1));
    assertThat(pacer.tryAcquire()).isEqualTo(3);
  }

  @Test
  void quickResponsesKeepTheRateAtTheTps() {
    // each submit answered 5 ms after it started: the rate falls short of the TPS by 5 ms per turn of the window
    long[] starts = new long[30];
    for (int i = 0; i < starts.length; i++) {
      long ticket;
      while ((ticket = pacer.tryAcquire()) < 0) {
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
      }
      assertThat(ticket).isEqualTo(i);
      starts[i] = now.get();
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(5));
      pacer.done(ticket);
    }
    double rate = (starts.length - 1) / ((starts[starts.length - 1] - starts[0]) / 1e9);
    assertThat(rate).as("submits per second at TPS 3").isBetween(2.95, 3.0);
  }

  /** Takes the first three tickets, a third of a second apart; returns the first. */
  private long startThree() {
    long t0 = pacer.tryAcquire();
    now.addAndGet(THIRD);
    pacer.tryAcquire();
    now.addAndGet(THIRD);
    pacer.tryAcquire();
    return t0;
  }

  @Test
  void zeroMeansNoLimit() {
    SubmitPacer unlimited = new SubmitPacer(0, now::get);
    for (int i = 0; i < 10_000; i++) {
      assertThat(unlimited.tryAcquire()).isEqualTo(-1);
    }
  }

  @Test
  void acquireBlocksUntilTheWindowAllows() throws Exception {
    SubmitPacer real = new SubmitPacer(2);
    long a = real.acquire();
    long b = real.acquire();
    real.done(a);
    real.done(b);
    long start = System.nanoTime();
    real.acquire();
    // the third may not start until a second after the first completed
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(900));
  }
}
