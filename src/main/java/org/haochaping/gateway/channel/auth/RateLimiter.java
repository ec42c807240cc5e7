package org.haochaping.gateway.channel.auth;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per client on this node: {@code rate} requests a second with bursts up to one
 * second's worth. Beyond it the client gets 429 with {@code Retry-After}. With several nodes behind
 * a load balancer each node allows the client's rate (docs/operations.md: divide it by the nodes).
 */
public final class RateLimiter {

  private static final class Bucket {
    double tokens;
    long refilledAt;
  }

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** 0 when allowed; otherwise the seconds to wait before a token is there. */
  public long acquire(String key, int ratePerSecond, long nowNanos) {
    if (ratePerSecond <= 0) {
      return 0;
    }
    Bucket b = buckets.computeIfAbsent(key, k -> {
      Bucket fresh = new Bucket();
      fresh.tokens = ratePerSecond;
      fresh.refilledAt = nowNanos;
      return fresh;
    });
    synchronized (b) {
      double elapsed = (nowNanos - b.refilledAt) / 1e9;
      b.tokens = Math.min(ratePerSecond, b.tokens + elapsed * ratePerSecond);
      b.refilledAt = nowNanos;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - b.tokens) / ratePerSecond));
    }
  }
}
