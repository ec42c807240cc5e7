package org.haochaping.gateway.workorder;

import java.time.OffsetDateTime;
import java.util.List;
import org.haochaping.gateway.model.WorkOrderState;

/** A 差评工单 as stored, without the evaluator (sealed in the row, see {@link WorkOrders#evaluator}). */
public record WorkOrder(
    String id,
    String ratingId,
    String caseNo,
    String level,
    List<String> tags,
    String comment,
    String channel,
    String taskCode,
    String itemName,
    String deptCode,
    String staffId,
    String hallCode,
    String windowNo,
    String areaCode,
    String businessLine,
    WorkOrderState state,
    String resolution,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    OffsetDateTime verifiedAt,
    OffsetDateTime rectifyDueAt,
    OffsetDateTime rectifiedAt,
    OffsetDateTime reportDueAt,
    OffsetDateTime revisitedAt,
    OffsetDateTime closedAt,
    boolean overdue,
    OffsetDateTime overdueSince,
    String rectification,
    String explanation,
    Appeal appeal,
    List<Step> history) {

  /** The staff member's appeal (000 第二十五条, 002 第十三条). */
  public record Appeal(String state, String reason, String actor, String notes, OffsetDateTime fileDueAt, OffsetDateTime filedAt,
      OffsetDateTime verifyDueAt, OffsetDateTime decidedAt, String decidedBy, String decisionNotes, boolean overdue) {}

  /** One thing that happened to the work order, with who did it. */
  public record Step(int seq, String action, String from, String to, String actor, String notes, OffsetDateTime at) {}
}
