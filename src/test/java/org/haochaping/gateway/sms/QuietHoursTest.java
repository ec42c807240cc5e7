package org.haochaping.gateway.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class QuietHoursTest {

  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
  private final QuietHours night = QuietHours.parse("21:00-08:00");

  @Test
  void aDaytimeMomentIsNotQuiet() {
    OffsetDateTime tenAm = OffsetDateTime.parse("2026-11-24T10:00:00+08:00");
    assertThat(night.isQuiet(tenAm.toInstant(), CHINA)).isFalse();
    assertThat(night.nextAllowed(tenAm.toInstant(), CHINA)).isEqualTo(tenAm.toInstant());
  }

  @Test
  void theEveningWaitsForTheNextMorning() {
    OffsetDateTime evening = OffsetDateTime.parse("2026-11-24T21:30:00+08:00");
    assertThat(night.nextAllowed(evening.toInstant(), CHINA)).isEqualTo(OffsetDateTime.parse("2026-11-25T08:00:00+08:00").toInstant());
  }

  @Test
  void afterMidnightWaitsForTheSameMorning() {
    OffsetDateTime small = OffsetDateTime.parse("2026-11-25T00:31:00+08:00");
    assertThat(night.nextAllowed(small.toInstant(), CHINA)).isEqualTo(OffsetDateTime.parse("2026-11-25T08:00:00+08:00").toInstant());
  }

  @Test
  void startIsQuietAndEndIsNot() {
    assertThat(night.isQuiet(OffsetDateTime.parse("2026-11-24T21:00:00+08:00").toInstant(), CHINA)).isTrue();
    assertThat(night.isQuiet(OffsetDateTime.parse("2026-11-24T08:00:00+08:00").toInstant(), CHINA)).isFalse();
    assertThat(night.isQuiet(OffsetDateTime.parse("2026-11-24T07:59:59+08:00").toInstant(), CHINA)).isTrue();
  }

  @Test
  void aWindowWithinOneDayWorksToo() {
    QuietHours lunch = QuietHours.parse("12:00-14:00");
    assertThat(lunch.isQuiet(OffsetDateTime.parse("2026-11-24T13:00:00+08:00").toInstant(), CHINA)).isTrue();
    assertThat(lunch.isQuiet(OffsetDateTime.parse("2026-11-24T23:00:00+08:00").toInstant(), CHINA)).isFalse();
    assertThat(lunch.nextAllowed(OffsetDateTime.parse("2026-11-24T13:00:00+08:00").toInstant(), CHINA))
        .isEqualTo(OffsetDateTime.parse("2026-11-24T14:00:00+08:00").toInstant());
  }

  @Test
  void aMalformedSettingSaysHowItShouldLook() {
    assertThatThrownBy(() -> QuietHours.parse("9pm-8am")).hasMessageContaining("21:00-08:00");
    assertThatThrownBy(() -> QuietHours.parse("08:00-08:00")).isInstanceOf(IllegalArgumentException.class);
  }
}
