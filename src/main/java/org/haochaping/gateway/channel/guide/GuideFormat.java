package org.haochaping.gateway.channel.guide;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.CaseIntake;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.mapping.ChannelFields;
import org.haochaping.gateway.channel.mapping.ChannelIntake;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.store.StoreException;

/**
 * Departmental systems built to the provincial onboarding guide (《接入指引》, 000 第十一条) post its own
 * format: {@code POST /api/v1/guide/evaluations} and {@code /guide/cases}. The JSLT mappings
 * (mappings/channel/guide-*.jslt) rename the fields; this bean does what JSLT cannot, before them —
 * the code-table lookups of the province (satisfaction, whose direction differs; pf; case codes) and
 * the guide's time format — and afterwards submits the canonical form and names refusals in the
 * guide's own field names.
 *
 * <p>It is the inverse of the provincial forwarder's national mapping: the same tables
 * (mappings/codes/&lt;province&gt;/), the same time format ({@code yyyy-MM-dd HH:mm:ss}, China time),
 * and the same {@code serviceNumber} notion — the ratings of one case under one assessNumber:
 * 1 is the case's own rating; n &ge; 2 is the n-th stage of the profile's list where the profile has
 * stages (guangxi 002 第十条: 2 受理, 3 审批, 4 出件), otherwise the staff rating of a later window
 * visit (guangdong 000 第十七条).
 */
public final class GuideFormat {

  public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  /** A departmental system's own PC-side system, when its pf code is shared by several channels. */
  static final String PREFERRED_CHANNEL = "DEPT_SYSTEM";

  private final ProvinceCodeTables codes;
  private final CaseCodes caseCodes;
  private final PolicyProfile profile;
  private final ChannelIntake ratings;
  private final CaseIntake cases;

  public GuideFormat(ProvinceCodeTables codes, CaseCodes caseCodes, PolicyProfile profile, ChannelIntake ratings, CaseIntake cases) {
    this.codes = codes;
    this.caseCodes = caseCodes;
    this.profile = profile;
    this.ratings = ratings;
    this.cases = cases;
  }

  /** Before guide-evaluation.jslt: checks the national codes and resolves them into {@code _hcp}. */
  public void resolveEvaluation(Exchange exchange) {
    JsonNode doc = ChannelIntake.readObject(exchange);
    if (doc == null) {
      return;
    }
    List<Violation> v = new ArrayList<>();
    ObjectNode hcp = Json.MAPPER.createObjectNode();
    String projectNo = text(doc, "projectNo");
    if (projectNo == null) {
      v.add(Violation.invalid("projectNo", "required", "缺少 projectNo（办件编号）", "projectNo (case number) is required"));
    }
    String satisfaction = text(doc, "satisfaction");
    if (satisfaction == null) {
      v.add(Violation.invalid("satisfaction", "required", "缺少 satisfaction（满意度）", "satisfaction is required"));
    } else {
      codes.levelOf(satisfaction).ifPresentOrElse(level -> hcp.put("level", level), () -> v.add(Violation.invalid("satisfaction",
          "knownCode", "satisfaction " + satisfaction + " 不在本省代码表中（mappings/codes/" + codes.province() + "/satisfaction.csv）",
          "satisfaction " + satisfaction + " is not in this province's table")));
    }
    String pf = text(doc, "pf");
    if (pf == null) {
      hcp.put("channel", PREFERRED_CHANNEL);
    } else {
      List<String> channels = codes.channelsOfPf(pf);
      if (channels.isEmpty()) {
        v.add(Violation.invalid("pf", "knownCode", "pf " + pf + " 不在本省评价渠道代码表中（channels.csv）",
            "pf " + pf + " is not in this province's channel table"));
      } else {
        hcp.put("channel", channels.contains(PREFERRED_CHANNEL) ? PREFERRED_CHANNEL : channels.get(0));
      }
    }
    String detail = text(doc, "evalDetail");
    if (detail != null) {
      ArrayNode tags = hcp.putArray("tags");
      for (String t : detail.split(",")) {
        if (!t.isBlank()) {
          tags.add(t.strip());
        }
      }
    }
    String assessTime = text(doc, "assessTime");
    if (assessTime != null) {
      String iso = chinaTime(assessTime);
      if (iso == null) {
        v.add(Violation.invalid("assessTime", "format", "assessTime 应为 yyyy-MM-dd HH:mm:ss（北京时间）",
            "assessTime must be yyyy-MM-dd HH:mm:ss (China time)"));
      } else {
        hcp.put("ratedAt", iso);
      }
    }
    int assessNumber = number(doc, "assessNumber", 1, v);
    if (assessNumber != 1 && assessNumber != 2) {
      v.add(Violation.invalid("assessNumber", "enum", "assessNumber 应为 1（首次评价）或 2（追加评价）",
          "assessNumber must be 1 (first rating) or 2 (follow-up)"));
    }
    hcp.put("assessNumber", assessNumber);
    int serviceNumber = number(doc, "serviceNumber", 1, v);
    if (serviceNumber < 1 || serviceNumber > 999) {
      v.add(Violation.invalid("serviceNumber", "range", "serviceNumber 应为1至999", "serviceNumber must be 1..999"));
    }
    // The staff member: handleUserPageCode is their code (target.staffId); a name alone is matched to the case's staff.
    boolean staffNamed = text(doc, "handleUserName") != null || text(doc, "handleUserPageCode") != null;
    List<Stage> stages = profile.rating().stages();
    if (serviceNumber <= 1) {
      hcp.put("stage", Stage.OVERALL.name());
      hcp.put("targetType", staffNamed ? "ITEM_AND_STAFF" : "ITEM");
    } else if (serviceNumber <= stages.size()) {
      hcp.put("stage", stages.get(serviceNumber - 1).name());
      hcp.put("targetType", staffNamed ? "ITEM_AND_STAFF" : "ITEM");
    } else {
      hcp.put("stage", Stage.OVERALL.name());
      hcp.put("targetType", "STAFF");
      hcp.put("visitId", "serviceNumber-" + serviceNumber);
    }
    if (projectNo != null) {
      hcp.put("sourceRef", "guide:" + projectNo + ":" + assessNumber + ":" + serviceNumber);
    }
    if (!v.isEmpty()) {
      ChannelIntake.stop(exchange, Problem.validation(v));
      return;
    }
    ((ObjectNode) doc).set("_hcp", hcp);
    exchange.getMessage().setBody(Json.bytes(doc));
  }

  /** After guide-evaluation.jslt: the canonical rating through intake, refusals in national names. */
  public void submitEvaluation(Exchange exchange) {
    ratings.submitAndReply(exchange);
  }

  /** Before guide-case.jslt: the case codes and dates into {@code _hcp}. */
  public void resolveCase(Exchange exchange) {
    JsonNode doc = ChannelIntake.readObject(exchange);
    if (doc == null) {
      return;
    }
    List<Violation> v = new ArrayList<>();
    ObjectNode hcp = Json.MAPPER.createObjectNode();
    code(doc, "proChannel", hcp, "mode", v, true);
    code(doc, "projectType", hcp, "projectType", v, false);
    code(doc, "proStatus", hcp, "status", v, false);
    for (String[] f : new String[][] {{"acceptDate", "acceptedAt"}, {"resultDate", "completedAt"}}) {
      String t = text(doc, f[0]);
      if (t == null) {
        if (f[0].equals("acceptDate")) {
          v.add(Violation.invalid("acceptDate", "required", "缺少 acceptDate（受理时间）", "acceptDate is required"));
        }
        continue;
      }
      String iso = chinaTime(t);
      if (iso == null) {
        v.add(Violation.invalid(f[0], "format", f[0] + " 应为 yyyy-MM-dd HH:mm:ss（北京时间）", f[0] + " must be yyyy-MM-dd HH:mm:ss (China time)"));
      } else {
        hcp.put(f[1], iso);
      }
    }
    if (text(doc, "promiseDay") != null) {
      hcp.put("promiseDays", number(doc, "promiseDay", 0, v));
    }
    if (hcp.has("completedAt") && !hcp.has("status")) {
      hcp.put("status", "COMPLETED");
    }
    if (!v.isEmpty()) {
      ChannelIntake.stop(exchange, Problem.validation(v));
      return;
    }
    ((ObjectNode) doc).set("_hcp", hcp);
    exchange.getMessage().setBody(Json.bytes(doc));
  }

  /** After guide-case.jslt: the canonical case through case intake; 201 new, 200 replaced. */
  public void submitCase(Exchange exchange) {
    JsonNode canonical = ChannelIntake.mapped(exchange);
    try {
      CaseIntake.Outcome o = cases.push(canonical);
      if (o.problem() != null) {
        HttpReply.problem(exchange, ChannelIntake.rename(o.problem(), ChannelFields.GUIDE_CASE));
        return;
      }
      HttpReply.json(exchange, o.status() == CaseIntake.Outcome.Status.CREATED ? 201 : 200,
          Map.of("projectNo", o.serviceCase().caseNo(), "status", o.serviceCase().status(), "result",
              o.status() == CaseIntake.Outcome.Status.CREATED ? "CREATED" : "UPDATED"));
    } catch (StoreException e) {
      HttpReply.problem(exchange, Problem.unavailable("database: " + e.getMessage()));
    }
  }

  private void code(JsonNode doc, String field, ObjectNode hcp, String into, List<Violation> v, boolean required) {
    String code = text(doc, field);
    if (code == null) {
      if (required) {
        v.add(Violation.invalid(field, "required", "缺少 " + field, field + " is required"));
      }
      return;
    }
    caseCodes.canonical(field, code).ifPresentOrElse(c -> hcp.put(into, c), () -> v.add(Violation.invalid(field, "knownCode",
        field + " " + code + " 不在本省代码表中（mappings/codes/" + codes.province() + "/case-codes.csv）",
        field + " " + code + " is not in this province's case code table")));
  }

  /** "2026-11-24 09:05:00" (China time) as ISO-8601 with +08:00; null when it is not in that format. */
  public static String chinaTime(String text) {
    try {
      return LocalDateTime.parse(text, TIME).atZone(ChinaTime.ZONE).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static String text(JsonNode doc, String field) {
    JsonNode n = doc.get(field);
    if (n == null || n.isNull() || n.isContainerNode()) {
      return null;
    }
    String s = n.asText().strip();
    return s.isEmpty() ? null : s;
  }

  private static int number(JsonNode doc, String field, int fallback, List<Violation> v) {
    String s = text(doc, field);
    if (s == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      v.add(Violation.invalid(field, "type", field + " 应为整数", field + " must be a whole number"));
      return fallback;
    }
  }
}
