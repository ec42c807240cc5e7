package org.haochaping.gateway.sms;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.CaseEvent;
import org.haochaping.gateway.model.ChinaTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What starts an SMS (routes {@code sms-case-events}, {@code sms-lifecycle-events}): each trigger
 * becomes a row of the SMS schedule with a stable id, so a trigger delivered twice sends once.
 *
 * <ul>
 *   <li>a case completed (address {@code case-events}): the prompt, after
 *       {@code hcp.sms.prompt.delaySeconds} (online, self-service, hotline) or
 *       {@code hcp.sms.prompt.windowDelaySeconds} (window: the evaluator or QR code first);
 *   <li>{@code REMINDER_DUE} (address {@code lifecycle-events}, from the timers): the reminder;
 *   <li>{@code WORK_ORDER_FEEDBACK}: the work order's result to the person who rated.
 * </ul>
 *
 * Lifecycle events may carry their fields at the top level ({@code {type, caseNo, at, workOrderId,
 * result}}) or under {@code data} (the LifecycleEvent record); both are read.
 */
public final class SmsTriggers {

  private static final Logger LOG = LoggerFactory.getLogger(SmsTriggers.class);

  /** The multicast address the lifecycle timers publish to. */
  public static final String LIFECYCLE_EVENTS = "lifecycle-events";

  private final SmsSchedule schedule;
  private final SmsScheduler scheduler;
  private final Clock clock;

  public SmsTriggers(SmsSchedule schedule, SmsScheduler scheduler, Clock clock) {
    this.schedule = schedule;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  /** A case event: a completion schedules the prompt. */
  public void caseEvent(byte[] body) {
    CaseEvent e = Json.read(body, CaseEvent.class);
    if (!e.isCompletion()) {
      return;
    }
    OffsetDateTime at = e.at() == null ? OffsetDateTime.now(clock) : ChinaTime.of(e.at());
    OffsetDateTime due = at.plus(scheduler.promptDelay(e.mode()));
    if (schedule.add("PROMPT:" + e.caseNo(), e.caseNo(), SmsKind.PROMPT, due, null)) {
      LOG.debug("Prompt for case {} due at {}", e.caseNo(), due);
    }
  }

  /** A lifecycle event: REMINDER_DUE and WORK_ORDER_FEEDBACK schedule SMS; other types are not for SMS. */
  public void lifecycleEvent(byte[] body) {
    JsonNode e;
    try {
      e = Json.MAPPER.readTree(body);
    } catch (IOException ex) {
      LOG.warn("Lifecycle event that is not JSON ignored: {}", ex.getMessage());
      return;
    }
    String type = e.path("type").asText("");
    String caseNo = field(e, "caseNo");
    if (!type.equals("REMINDER_DUE") && !type.equals("WORK_ORDER_FEEDBACK")) {
      return;
    }
    if (caseNo == null || caseNo.isBlank()) {
      LOG.warn("Lifecycle event {} without caseNo ignored", type);
      return;
    }
    OffsetDateTime due = time(field(e, "at"));
    if (type.equals("REMINDER_DUE")) {
      schedule.add("REMINDER:" + caseNo, caseNo, SmsKind.REMINDER, due, null);
      return;
    }
    String workOrderId = field(e, "workOrderId");
    ObjectNode detail = Json.MAPPER.createObjectNode();
    detail.put("workOrderId", workOrderId == null ? "" : workOrderId);
    detail.put("result", field(e, "result") == null ? "" : field(e, "result"));
    if (field(e, "ratingId") != null) {
      detail.put("ratingId", field(e, "ratingId"));
    }
    String text = Json.text(detail);
    if (text.length() > 2000) {
      // the result text is what the department wrote; the schedule keeps 2,000 characters (a long SMS)
      detail.put("result", detail.path("result").asText().substring(0, 1500));
      text = Json.text(detail);
    }
    schedule.add("WORK_ORDER_FEEDBACK:" + caseNo + ":" + workOrderId, caseNo, SmsKind.WORK_ORDER_FEEDBACK,
        OffsetDateTime.now(clock), text);
  }

  private OffsetDateTime time(String text) {
    if (text == null || text.isBlank()) {
      return OffsetDateTime.now(clock);
    }
    try {
      return ChinaTime.of(OffsetDateTime.parse(text));
    } catch (RuntimeException e) {
      return OffsetDateTime.now(clock);
    }
  }

  private static String field(JsonNode e, String name) {
    JsonNode v = e.has(name) ? e.get(name) : e.path("data").get(name);
    return v == null || v.isNull() ? null : v.asText();
  }
}
