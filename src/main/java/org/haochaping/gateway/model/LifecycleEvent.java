package org.haochaping.gateway.model;

import java.time.OffsetDateTime;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Something that happened in a rating's or a work order's life, published durably on the broker
 * address {@code lifecycle-events} for other modules (SMS reminder and feedback, forwarding of
 * corrections, statistics). No personal data: a consumer that needs the evaluator or applicant
 * reads it from the store by {@code caseNo}, {@code data.ratingId} or {@code data.workOrderId}.
 * The schema of every type is in docs/rules.md.
 *
 * @param eventId stable id of this event (also the broker's duplicate-detection id): the same
 *     event published twice is delivered once
 * @param type e.g. {@code REMINDER_DUE}, {@code WORK_ORDER_FEEDBACK}
 * @param data the type's own fields
 */
public record LifecycleEvent(String eventId, String type, String caseNo, OffsetDateTime at, Map<String, Object> data) {

  public LifecycleEvent {
    Map<String, Object> kept = new LinkedHashMap<>();
    if (data != null) {
      data.forEach((k, v) -> {
        if (v != null) {
          kept.put(k, v);
        }
      });
    }
    data = Collections.unmodifiableMap(kept);
  }
}
