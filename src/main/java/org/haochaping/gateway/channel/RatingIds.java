package org.haochaping.gateway.channel;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/** Rating ids are UUIDv7 (RFC 9562): time-ordered, so they index well and sort by arrival. */
public final class RatingIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private RatingIds() {}

  public static String next(Clock clock) {
    long millis = clock.millis();
    byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    long high = (millis << 16) | 0x7000L | ((random[0] & 0x0FL) << 8) | (random[1] & 0xFFL);
    long low = 0x8000_0000_0000_0000L | ((random[2] & 0x3FL) << 56);
    for (int i = 3; i < 10; i++) {
      low |= (random[i] & 0xFFL) << (8 * (9 - i));
    }
    return new UUID(high, low).toString();
  }
}
