package org.haochaping.gateway.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many threads hand in one item each; one writer thread writes whatever has gathered in one
 * transaction and then releases them all. Each caller returns only after its item is committed,
 * so a message is acknowledged to the broker only once it is in the database.
 */
public final class GroupCommit<T> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private record Pending<T>(T item, CompletableFuture<Void> done) {}

  private final BlockingQueue<Pending<T>> queue;
  private final int maxBatch;
  private final Consumer<List<T>> writer;
  private final Thread thread;
  private volatile boolean running = true;

  public GroupCommit(String name, int maxBatch, Consumer<List<T>> writer) {
    this.queue = new ArrayBlockingQueue<>(maxBatch * 4);
    this.maxBatch = maxBatch;
    this.writer = writer;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /** Writes {@code item} with whatever else is waiting; throws what the write threw. */
  public void write(T item) throws InterruptedException {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.put(new Pending<>(item, done));
    try {
      done.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(cause);
    }
  }

  private void run() {
    List<Pending<T>> batch = new ArrayList<>(maxBatch);
    List<T> items = new ArrayList<>(maxBatch);
    while (running || !queue.isEmpty()) {
      try {
        Pending<T> first = queue.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, maxBatch - 1);
        batch.forEach(p -> items.add(p.item()));
        try {
          writer.accept(items);
          batch.forEach(p -> p.done().complete(null));
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
