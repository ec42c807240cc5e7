package org.haochaping.gateway.channel.evaluator;

import java.time.OffsetDateTime;

/** A window evaluator as the registry holds it (no secret): where it stands and how it is. */
public record EvaluatorDevice(
    String deviceId,
    String name,
    String hallCode,
    String windowNo,
    boolean enabled,
    boolean online,
    OffsetDateTime lastSeenAt,
    OffsetDateTime statusChangedAt,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt) {}
