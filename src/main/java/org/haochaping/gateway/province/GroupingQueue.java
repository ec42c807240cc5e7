package org.haochaping.gateway.province;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many broker consumers hand in one item each; items are grouped (up to {@code maxGroup}, waiting
 * at most {@code window} for more) and each group is handled by one of {@code workers} threads,
 * which completes every item's future. While all workers are busy the next group keeps growing, so
 * groups are large exactly when the load is. A consumer acknowledges its message only after its
 * item's future completes.
 */
final class GroupingQueue<T, R> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(GroupingQueue.class);

  /** One item and the promise of its result. */
  record Item<T, R>(T value, CompletableFuture<R> result) {}

  private final BlockingQueue<Item<T, R>> queue = new LinkedBlockingQueue<>();
  private final int maxGroup;
  private final long windowNanos;
  private final Semaphore freeWorkers;
  private final ExecutorService workers;
  private final Consumer<List<Item<T, R>>> handler;
  private final Thread dispatcher;
  private volatile boolean running = true;

  GroupingQueue(String name, int maxGroup, java.time.Duration window, int workers, Consumer<List<Item<T, R>>> handler) {
    this.maxGroup = maxGroup;
    this.windowNanos = window.toNanos();
    this.freeWorkers = new Semaphore(workers);
    AtomicInteger n = new AtomicInteger();
    this.workers = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.handler = handler;
    this.dispatcher = new Thread(this::dispatch, name + "-dispatcher");
    this.dispatcher.setDaemon(true);
    this.dispatcher.start();
  }

  /** Hands in one item; the future completes when its group has been handled. */
  CompletableFuture<R> offer(T value) {
    CompletableFuture<R> result = new CompletableFuture<>();
    if (!running) {
      result.completeExceptionally(new IllegalStateException("the gateway is stopping"));
      return result;
    }
    queue.add(new Item<>(value, result));
    return result;
  }

  /** Items waiting for a group. */
  int waiting() {
    return queue.size();
  }

  private void dispatch() {
    while (running) {
      try {
        freeWorkers.acquire();
        List<Item<T, R>> group = nextGroup();
        if (group.isEmpty()) {
          freeWorkers.release();
          continue;
        }
        workers.execute(() -> handle(group));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.error("grouping failed", e);
        freeWorkers.release();
      }
    }
  }

  private List<Item<T, R>> nextGroup() throws InterruptedException {
    List<Item<T, R>> group = new ArrayList<>();
    Item<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
    if (first == null) {
      return group;
    }
    group.add(first);
    long deadline = System.nanoTime() + windowNanos;
    while (group.size() < maxGroup) {
      queue.drainTo(group, maxGroup - group.size());
      long remaining = deadline - System.nanoTime();
      if (group.size() >= maxGroup || remaining <= 0) {
        break;
      }
      Item<T, R> next = queue.poll(remaining, TimeUnit.NANOSECONDS);
      if (next == null) {
        break;
      }
      group.add(next);
    }
    return group;
  }

  private void handle(List<Item<T, R>> group) {
    try {
      handler.accept(group);
    } catch (Throwable t) {
      LOG.warn("a group of {} failed: {}", group.size(), String.valueOf(t));
      group.forEach(i -> i.result().completeExceptionally(t));
    } finally {
      group.stream().filter(i -> !i.result().isDone())
          .forEach(i -> i.result().completeExceptionally(new IllegalStateException("item left without a result")));
      freeWorkers.release();
    }
  }

  @Override
  public void close() {
    running = false;
    dispatcher.interrupt();
    workers.shutdownNow();
    try {
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Item<T, R>> left = new ArrayList<>();
    queue.drainTo(left);
    left.forEach(i -> i.result().completeExceptionally(new IllegalStateException("the gateway is stopping")));
  }
}
