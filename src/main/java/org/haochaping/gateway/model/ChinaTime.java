package org.haochaping.gateway.model;

import java.time.OffsetDateTime;
import java.time.ZoneId;

/** China has one time zone; times the gateway shows are in it, whatever the database returns. */
public final class ChinaTime {

  public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

  private ChinaTime() {}

  public static OffsetDateTime of(OffsetDateTime t) {
    return t == null ? null : t.atZoneSameInstant(ZONE).toOffsetDateTime();
  }
}
