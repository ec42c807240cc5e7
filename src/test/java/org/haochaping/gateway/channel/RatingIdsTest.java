package org.haochaping.gateway.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RatingIdsTest {

  @Test
  void idsAreVersion7WithTheirMillisecondInFront() {
    Instant t = Instant.parse("2026-11-24T02:00:00.123Z");
    UUID id = UUID.fromString(RatingIds.next(Clock.fixed(t, ZoneOffset.UTC)));
    assertThat(id.version()).isEqualTo(7);
    assertThat(id.variant()).isEqualTo(2);
    assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(t.toEpochMilli());
  }

  @Test
  void idsAreUniqueAndSortByTime() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      assertThat(seen.add(RatingIds.next(Clock.systemUTC()))).isTrue();
    }
    String early = RatingIds.next(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    String late = RatingIds.next(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
    assertThat(early).isLessThan(late);
  }
}
