package org.haochaping.gateway.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many threads hand in one item each; one writer thread writes whatever has gathered in one
 * transaction and then answers them all. Each caller returns only after its item is committed —
 * a message is acknowledged to the broker, a rating to its client, only once it is in the
 * database — while a busy gateway pays for one commit per batch instead of one per item.
 *
 * @param <T> what is written
 * @param <R> what each writer answers for its item (in the same order)
 */
public final class GroupCommit<T, R> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private record Pending<T, R>(T item, CompletableFuture<R> done) {}

  private final BlockingQueue<Pending<T, R>> queue;
  private final int maxBatch;
  private final Function<List<T>, List<R>> writer;
  private final long lingerNanos;
  private final Thread thread;
  private volatile boolean running = true;

  /**
   * The linger of the writers behind the broker (ledger, integrity, statistics): long enough for the
   * consumer threads a commit released to come back with their next message, short beside a commit.
   */
  public static final long BEHIND_BROKER_LINGER_MICROS = 2_000;

  public GroupCommit(String name, int maxBatch, Function<List<T>, List<R>> writer) {
    this(name, maxBatch, 0, writer);
  }

  /**
   * @param lingerMicros how long the writer waits for more items after the first before it writes (0:
   *     writes what has gathered at once). For consumers behind the broker, where nobody waits on the
   *     answer: their threads come back together after each commit, and a short wait lets the next
   *     commit take them all (a commit rewrites whole pages, however few rows it adds).
   */
  public GroupCommit(String name, int maxBatch, long lingerMicros, Function<List<T>, List<R>> writer) {
    this.lingerNanos = lingerMicros * 1000;
    this.queue = new ArrayBlockingQueue<>(maxBatch * 4);
    this.maxBatch = maxBatch;
    this.writer = writer;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Writes {@code item} with whatever else is waiting and returns its answer; throws what the write threw. */
  public R write(T item) throws InterruptedException {
    CompletableFuture<R> done = new CompletableFuture<>();
    queue.put(new Pending<>(item, done));
    return answer(done);
  }

  /**
   * Writes {@code items} (in this order, with whatever else is waiting) and returns their answers;
   * throws what a write threw. One caller's many items share a few commits instead of taking one each.
   */
  public List<R> writeAll(List<T> items) throws InterruptedException {
    List<CompletableFuture<R>> done = new ArrayList<>(items.size());
    for (T item : items) {
      CompletableFuture<R> d = new CompletableFuture<>();
      queue.put(new Pending<>(item, d));
      done.add(d);
    }
    List<R> results = new ArrayList<>(items.size());
    for (CompletableFuture<R> d : done) {
      results.add(answer(d));
    }
    return results;
  }

  private static <R> R answer(CompletableFuture<R> done) throws InterruptedException {
    try {
      return done.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }

  private void run() {
    List<Pending<T, R>> batch = new ArrayList<>(maxBatch);
    List<T> items = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Pending<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        if (lingerNanos > 0) {
          long until = System.nanoTime() + lingerNanos;
          for (long left = lingerNanos; batch.size() < maxBatch && left > 0; left = until - System.nanoTime()) {
            Pending<T, R> next = queue.poll(left, TimeUnit.NANOSECONDS);
            if (next == null) {
              break;
            }
            batch.add(next);
            queue.drainTo(batch, maxBatch - batch.size());
          }
        }
        batch.forEach(p -> items.add(p.item()));
        try {
          List<R> results = writer.apply(items);
          for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results == null ? null : results.get(i));
          }
        } catch (RuntimeException e) {
          LOG.debug("group write of {} failed: {}", items.size(), e.getMessage());
          batch.forEach(p -> p.done().completeExceptionally(e));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } finally {
        batch.clear();
        items.clear();
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
