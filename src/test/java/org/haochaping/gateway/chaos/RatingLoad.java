package org.haochaping.gateway.chaos;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;

/**
 * A steady stream of signed ratings, as departmental systems behind a load balancer send them:
 * {@code perSecond} new cases, each pushed first ({@code POST /cases}, completed) and then rated
 * ({@code POST /ratings}), to the two nodes in turn. A call that fails (no answer, 5xx) is tried
 * again on the other node after a second (or the {@code Retry-After} of a 503), with the same case
 * and rating body, as a client retry would: at most {@link #ATTEMPTS} times in all, or for
 * {@link #RETRY_FOR} while the nodes answer 503 (a node that says "not now" is waited for); a rating
 * that never got its 202 is "refused".
 */
final class RatingLoad implements AutoCloseable {

  static final int ATTEMPTS = 3;
  static final long RETRY_FOR = TimeUnit.SECONDS.toNanos(60);

  private final String prefix;
  private final Supplier<List<Api>> nodes;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService workers = Executors.newFixedThreadPool(16);
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private ScheduledFuture<?> tick;

  /** caseNo -> ratingId, for every 202. */
  final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  /** Cases whose rating got no 202 after all attempts. */
  final Set<String> refused = ConcurrentHashMap.newKeySet();
  /** Cases whose rating POST went out at least once without a clear answer (the node may have kept it). */
  final Set<String> unanswered = ConcurrentHashMap.newKeySet();
  final AtomicInteger failedCalls = new AtomicInteger();
  final AtomicLong firstFailureNanos = new AtomicLong();
  final AtomicLong lastFailureNanos = new AtomicLong();
  /** The longest a rating took from its first call to its 202 (case push and retries included). */
  final AtomicLong slowestAckNanos = new AtomicLong();
  /** Per node: when it last answered a rating 202. */
  final AtomicLong[] last202Nanos = {new AtomicLong(), new AtomicLong()};

  /**
   * @param nodes the two nodes' clients, asked at every call (a restarted node gets a new one)
   */
  RatingLoad(String prefix, Supplier<List<Api>> nodes) {
    this.prefix = prefix;
    this.nodes = nodes;
  }

  RatingLoad start(int perSecond) {
    tick = ticker.scheduleAtFixedRate(() -> {
      int i = sequence.getAndIncrement();
      String caseNo = String.format("%s-%06d", prefix, i);
      Map<String, Object> kase = Fixtures.completedCase(caseNo);
      Map<String, Object> rating = Fixtures.rating(caseNo, i % 7 == 0 ? "BASIC" : "VERY_SATISFIED");
      pending.incrementAndGet();
      long startedAt = System.nanoTime();
      workers.submit(() -> attempt(caseNo, kase, rating, i % 2, 1, startedAt));
    }, 0, 1_000_000_000L / perSecond, TimeUnit.NANOSECONDS);
    return this;
  }

  int sent() {
    return sequence.get();
  }

  private void attempt(String caseNo, Map<String, Object> kase, Map<String, Object> rating, int node, int attempt, long startedAt) {
    boolean ratingPosted = false;
    long retryAfter = 1;
    boolean notNow = false;
    try {
      Api api = nodes.get().get(node);
      Api.Response c = api.post("/api/v1/cases", kase);
      if (c.status() == 503) {
        notNow = true;
        retryAfter = c.headers().firstValueAsLong("Retry-After").orElse(1);
      }
      if (c.status() / 100 == 4) {
        refused.add(caseNo);
        failed();
        System.out.printf("chaos: case %s answered %s%n", caseNo, c);
        pending.decrementAndGet();
        return;
      }
      if (c.status() / 100 == 2) {
        ratingPosted = true;
        Api.Response r = api.post("/api/v1/ratings", rating);
        if (r.status() == 202) {
          acknowledged.put(caseNo, r.json().get("ratingId").asText());
          long now = System.nanoTime();
          last202Nanos[node].set(now);
          slowestAckNanos.accumulateAndGet(now - startedAt, Math::max);
          pending.decrementAndGet();
          return;
        }
        if (r.status() == 503) {
          notNow = true;
          retryAfter = r.headers().firstValueAsLong("Retry-After").orElse(1);
        }
        if (r.status() < 500) {
          // A 4xx is an answer, not an outage: nothing to retry, and a failure of the test's payload.
          refused.add(caseNo);
          failed();
          System.out.printf("chaos: %s answered %s%n", caseNo, r);
          pending.decrementAndGet();
          return;
        }
      }
    } catch (AssertionError | RuntimeException noAnswer) {
      // connection refused or reset, timeout: the node may or may not have kept what it got
    }
    if (ratingPosted) {
      unanswered.add(caseNo);
    }
    failed();
    if (attempt < ATTEMPTS || notNow && System.nanoTime() - startedAt < RETRY_FOR) {
      ticker.schedule(() -> workers.submit(() -> attempt(caseNo, kase, rating, 1 - node, attempt + 1, startedAt)),
          Math.max(1, retryAfter), TimeUnit.SECONDS);
    } else {
      refused.add(caseNo);
      pending.decrementAndGet();
    }
  }

  private void failed() {
    long now = System.nanoTime();
    failedCalls.incrementAndGet();
    firstFailureNanos.compareAndSet(0, now);
    lastFailureNanos.set(now);
  }

  /** No new ratings; waits until every one started has its 202 or has used up its attempts. */
  void stop() {
    tick.cancel(false);
    await("ratings in flight answered").atMost(Duration.ofMinutes(3)).until(() -> pending.get() == 0);
  }

  @Override
  public void close() {
    if (tick != null) {
      tick.cancel(false);
    }
    ticker.shutdownNow();
    workers.shutdownNow();
  }
}
