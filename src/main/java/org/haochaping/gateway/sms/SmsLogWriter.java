package org.haochaping.gateway.sms;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The busy writes of the SMS log, submitted SMS and delivery receipts, gathered from every sender and
 * receiver thread into one transaction per batch. Each caller returns only once its write is
 * committed: an outbox message is acknowledged, and a receipt answered with deliver_sm_resp, only
 * after that.
 *
 * <p>Unlike the ledger's group commit, a batch that starts with a submission waits up to
 * {@code linger} for more writes: SMS arrive one by one from many threads, and without the wait each
 * commit would carry one or two of them (measured: 1.7 writes per commit at 1,000 SMS/s,
 * docs/benchmarks.md "SMS"). A few milliseconds more per SMS buy a commit for dozens. A batch that
 * starts with a receipt is written at once: an SMSC may send its next deliver_sm only after the
 * deliver_sm_resp of the last.
 */
public final class SmsLogWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SmsLogWriter.class);

  private record Pending(Object item, CompletableFuture<Void> done) {}

  private final SmsLog log;
  private final SmsMetrics metrics;
  private final int maxBatch;
  private final long lingerNanos;
  private final BlockingQueue<Pending> queue;
  private final Thread thread;
  private volatile boolean running = true;

  public SmsLogWriter(SmsLog log, SmsMetrics metrics, int maxBatch, Duration linger) {
    this.log = log;
    this.metrics = metrics;
    this.maxBatch = maxBatch;
    this.lingerNanos = linger.toNanos();
    this.queue = new ArrayBlockingQueue<>(maxBatch * 4);
    this.thread = new Thread(this::run, "hcp-sms-log-writer");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Every part of the SMS was accepted; returns once that is committed. */
  public void submitted(SmsLog.Submission submission) throws InterruptedException {
    write(submission);
  }

  /** A delivery receipt; returns once it is committed. */
  public void receipt(SmsLog.Receipt receipt) throws InterruptedException {
    write(receipt);
  }

  private void write(Object item) throws InterruptedException {
    if (!running) {
      throw new IllegalStateException("the SMS log writer is stopped");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.put(new Pending(item, done));
    try {
      done.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw cause instanceof RuntimeException re ? re : new IllegalStateException(cause);
    }
  }

  private void run() {
    List<Pending> batch = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        // a receipt is written at once (the SMSC waits for its deliver_sm_resp before the next one);
        // a submission waits a little for company
        long deadline = System.nanoTime() + (first.item() instanceof SmsLog.Submission ? lingerNanos : 0);
        while (batch.size() < maxBatch) {
          queue.drainTo(batch, maxBatch - batch.size());
          long left = deadline - System.nanoTime();
          if (batch.size() >= maxBatch || left <= 0) {
            break;
          }
          Pending next = queue.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          batch.add(next);
        }
        write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
      }
    }
  }

  private void write(List<Pending> batch) {
    List<SmsLog.Submission> submissions = new ArrayList<>();
    List<SmsLog.Receipt> receipts = new ArrayList<>();
    for (Pending p : batch) {
      if (p.item() instanceof SmsLog.Submission s) {
        submissions.add(s);
      } else {
        receipts.add((SmsLog.Receipt) p.item());
      }
    }
    List<SmsLog.Change> changes;
    try {
      changes = Retry.twice(() -> log.write(submissions, receipts));
    } catch (RuntimeException e) {
      LOG.warn("SMS log write of {} submissions and {} receipts failed: {}", submissions.size(), receipts.size(), e.toString());
      batch.forEach(p -> p.done().completeExceptionally(e));
      return;
    }
    batch.forEach(p -> p.done().complete(null));
    for (SmsLog.Change change : changes) {
      metrics.changed(change);
      if (change.to().isFinal()) {
        LOG.info("SMS {} {}: {}{}", change.smsId(), change.kind(), change.to(), change.detail() == null ? "" : " (" + change.detail() + ")");
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
