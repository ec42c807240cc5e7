package org.haochaping.gateway.channel.mapping;

import java.util.Map;

/**
 * Each channel's names for the canonical fields its mapping fills (mappings/channel/*.jslt), so that
 * a refusal names the field the channel sent. docs/channels.md has the same tables.
 */
public final class ChannelFields {

  private ChannelFields() {}

  private static final Map<String, String> EVALUATOR_PORTAL = Map.of(
      "evaluator.name", "user.realName", "evaluator.idType", "user.certType", "evaluator.idNo", "user.certNo",
      "evaluator.mobile", "user.phone", "evaluator.userProp", "user.userType");

  public static final Map<String, String> PORTAL = merge(Map.of("sourceRef", "evaluationId", "caseNo", "projectNo",
      "level", "star", "tags", "labelCodes", "comment", "remark", "ratedAt", "evaluateTime"), EVALUATOR_PORTAL);

  public static final Map<String, String> APP = Map.of("sourceRef", "msgId", "caseNo", "bizNo", "level", "evaluateLevel",
      "tags", "reasonCodes", "comment", "content", "ratedAt", "evaluateTimestamp", "evaluator.name", "account.name",
      "evaluator.idNo", "account.idCard", "evaluator.mobile", "account.mobile");

  public static final Map<String, String> MINI_PROGRAM = Map.of("sourceRef", "openEvalNo", "caseNo", "orderId",
      "level", "result", "tags", "tagList", "comment", "words", "ratedAt", "time");

  public static final Map<String, String> TERMINAL = Map.of("sourceRef", "seq", "caseNo", "caseNo", "level", "satisfaction",
      "tags", "tagCodes", "comment", "memo", "ratedAt", "ratedAt");

  /** The guide's national field names (REFERENCE.md; the provincial forwarder writes the same names). */
  public static final Map<String, String> GUIDE_EVALUATION = merge(Map.of("sourceRef", "projectNo", "caseNo", "projectNo",
      "level", "satisfaction", "tags", "evalDetail", "comment", "writingEvaluation", "ratedAt", "assessTime",
      "channel", "pf", "stage", "serviceNumber", "visitId", "serviceNumber"), Map.of("target.taskCode", "taskCode",
      "target.itemName", "taskName", "target.deptCode", "deptCode", "target.areaCode", "areaCode",
      "target.staffId", "handleUserPageCode", "evaluator.name", "userName", "evaluator.idNo", "certKey",
      "evaluator.userProp", "userProp", "assessNumber", "assessNumber"));

  public static final Map<String, String> GUIDE_CASE = merge(Map.of("caseNo", "projectNo", "itemName", "projectName",
      "taskCode", "taskCode", "deptCode", "deptCode", "deptName", "deptName", "areaCode", "areaCode", "mode", "proChannel",
      "projectType", "projectType", "status", "proStatus", "acceptedAt", "acceptDate"), Map.of("completedAt", "resultDate",
      "promiseDays", "promiseDay", "applicant.name", "userName", "applicant.idType", "creditType", "applicant.idNo", "creditNum",
      "applicant.mobile", "mobile", "applicant.userProp", "userProp"));

  public static final Map<String, String> HOTLINE = Map.of("sourceRef", "eventCode", "caseNo", "flowsn", "level", "result",
      "comment", "content", "ratedAt", "callTime", "evaluator.mobile", "mobile", "tags", "tags");

  private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>(a);
    m.putAll(b);
    return Map.copyOf(m);
  }
}
