package org.haochaping.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Signed single ratings, each of its own completed case ({@code prefix + i}), posted from several
 * threads to a gateway that a test then stops or kills under them: a 202 is a promise and is
 * recorded; a refusal or a failed call after the stop is no promise and is not.
 */
public final class ConcurrentRatings {

  private final Map<String, String> acknowledged = new ConcurrentHashMap<>(); // caseNo -> ratingId
  private final AtomicInteger sent = new AtomicInteger();
  private final ExecutorService pool;

  private ConcurrentRatings(int threads) {
    pool = Executors.newFixedThreadPool(threads);
  }

  /** Starts posting {@code count} ratings from {@code threads} threads; returns at once. */
  public static ConcurrentRatings post(Api sender, String prefix, int count, int threads, IntFunction<String> level) {
    ConcurrentRatings load = new ConcurrentRatings(threads);
    for (int i = 0; i < count; i++) {
      String caseNo = prefix + i;
      String lvl = level.apply(i);
      load.pool.submit(() -> {
        Map<String, Object> rating = Fixtures.rating(caseNo, lvl);
        rating.put("case", Fixtures.completedCase(caseNo));
        load.sent.incrementAndGet();
        try {
          Api.Response r = sender.post("/api/v1/ratings", rating);
          if (r.status() == 202) {
            load.acknowledged.put(caseNo, r.json().get("ratingId").asText());
          }
        } catch (AssertionError refusedAfterTheStop) {
          // no 202, no promise
        }
        return null;
      });
    }
    return load;
  }

  /** caseNo -> ratingId of every rating answered 202 so far. */
  public Map<String, String> acknowledged() {
    return acknowledged;
  }

  /** Ratings whose request was started. */
  public int sent() {
    return sent.get();
  }

  /** Waits until every request has been answered or has failed. */
  public void awaitDone() throws InterruptedException {
    pool.shutdown();
    assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
  }
}
