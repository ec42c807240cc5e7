package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  @Test
  void doublesFromInitialUpToMaxAndResetsAfterABind() {
    ReconnectBackoff b = new ReconnectBackoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.5); // no jitter
    assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(1000));
    assertThat(b.next()).isEqualTo(Duration.ofMillis(2000));
    for (int i = 0; i < 20; i++) {
      b.next();
    }
    assertThat(b.next()).isEqualTo(Duration.ofSeconds(30));
    b.reset();
    assertThat(b.failures()).isZero();
    assertThat(b.next()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void jitterSpreadsEachWaitByAFifth() {
    assertThat(new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 0.0).next()).isEqualTo(Duration.ofMillis(800));
    assertThat(new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> 1.0).next()).isEqualTo(Duration.ofMillis(1200));
    // never above max
    ReconnectBackoff high = new ReconnectBackoff(Duration.ofSeconds(30), Duration.ofSeconds(30), () -> 1.0);
    assertThat(high.next()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void nonsenseSettingsAreRefused() {
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ZERO, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReconnectBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
  }
}
