package org.haochaping.gateway.province;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Target;

/**
 * The canonical case and rating in the national field names of the provincial 好差评 interfaces
 * (DESIGN §3: the wire format lives here, never in the model). Every province-specific code — pf,
 * satisfaction (whose direction differs), evalDetail tags, case codes — comes from the province's
 * tables under {@code mappings/codes/<province>/}. Values are sent as strings. A field the gateway
 * has no value for is left out, and the province's own check names it (2001 必填).
 *
 * <p>docs/province-guide.md has the table: national field, canonical source, rule.
 */
public final class NationalMapping {

  /** assessTime, acceptDate, resultDate: China time to the second. */
  public static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  /** The 业务办理项编码 has 33 characters; its first 31 are the 实施编码 (taskCode). */
  static final int TASK_HANDLE_ITEM_LENGTH = 33;
  static final int TASK_CODE_LENGTH = 31;

  /** A record the gateway cannot build: a code missing from the province's tables, the case missing. */
  public static final class Unmappable extends Exception {
    private final String field;

    public Unmappable(String field, String message) {
      super(message);
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  private final ProvinceCodeTables codes;
  private final String dataSource;

  /**
   * @param dataSource the 3-digit code of the sending province's data source (policy profile
   *     {@code dataSource}: guangdong 440, guangxi 450)
   */
  public NationalMapping(ProvinceCodeTables codes, String dataSource) {
    this.codes = codes;
    this.dataSource = dataSource;
  }

  public ProvinceCodeTables codes() {
    return codes;
  }

  /** 办件服务数据: the case as the province keeps it; pushed before any rating of it, and again when it moves on. */
  public ObjectNode caseRecord(ServiceCase c) throws Unmappable {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("projectNo", c.caseNo());
    r.put("projectName", c.itemName());
    // The canonical case has no 事项类型 yet: the province table's default (case-codes.csv taskType,DEFAULT).
    r.put("taskType", caseCode("taskType", "DEFAULT"));
    r.put("taskCode", taskCode(c.taskCode()));
    r.put("deptCode", c.deptCode());
    put(r, "deptName", c.deptName());
    r.put("areaCode", c.areaCode());
    r.put("proStatus", caseCode("proStatus", c.status().name()));
    put(r, "acceptDate", time(c.acceptedAt()));
    ProjectType type = c.projectType() != null ? c.projectType()
        : c.promiseDays() != null && c.promiseDays() > 0 ? ProjectType.PROMISED : ProjectType.IMMEDIATE;
    r.put("promiseDay", Integer.toString(c.promiseDays() == null ? 0 : c.promiseDays()));
    r.put("promiseType", caseCode("promiseType", type.name()));
    r.put("proChannel", caseCode("proChannel", c.mode().name()));
    r.put("projectType", caseCode("projectType", type.name()));
    put(r, "resultDate", time(c.completedAt()));
    Person applicant = c.applicant();
    if (applicant != null) {
      put(r, "userName", applicant.name());
      put(r, "userProp", applicant.userProp());
      put(r, "creditType", applicant.idType());
      put(r, "creditNum", applicant.idNo());
      put(r, "mobile", applicant.mobile());
    }
    return r;
  }

  /**
   * 评价数据: one rating of {@code c}. {@code serviceNumber} tells apart the ratings of one case
   * under one assessNumber (stages of a 套餐, 002 第十条; accept and completion of a 承诺件, 002 第九条;
   * each window visit's staff rating, 000 第十七条); the gateway assigns it once and keeps it.
   */
  public ObjectNode evaluation(Rating rating, ServiceCase c, int serviceNumber) throws Unmappable {
    if (c == null) {
      throw new Unmappable("projectNo", "网关没有办件 " + rating.caseNo() + "，无法组装评价数据 / the gateway has no case "
          + rating.caseNo());
    }
    Target t = rating.target();
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.put("projectNo", rating.caseNo());
    String code = t.taskCode() != null ? t.taskCode() : c.taskCode();
    r.put("taskCode", taskCode(code));
    if (code != null && code.length() == TASK_HANDLE_ITEM_LENGTH) {
      r.put("taskHandleItem", code);
    }
    put(r, "taskName", t.itemName() != null ? t.itemName() : c.itemName());
    r.put("proStatus", caseCode("proStatus", c.status().name()));
    put(r, "deptCode", t.deptCode() != null ? t.deptCode() : c.deptCode());
    put(r, "areaCode", t.areaCode() != null ? t.areaCode() : c.areaCode());
    // 002 第十一条 实名评价: the evaluator as the channel identified them; a channel that could not
    // (a default rating, an anonymous scan) rates on behalf of the person the case was for.
    Person who = rating.evaluator() != null && !rating.evaluator().isEmpty() ? rating.evaluator() : c.applicant();
    if (who != null) {
      put(r, "userName", who.name());
      put(r, "userProp", who.userProp());
      put(r, "certKey", who.idNo());
    }
    if (t.type() != null && t.type().ratesStaff()) {
      // the rated staff member: the name the channel gave, else the case's staff when it is them
      String staffName = t.staffName() != null ? t.staffName()
          : c.staffName() != null && (t.staffId() == null || t.staffId().equals(c.staffId())) ? c.staffName() : null;
      put(r, "handleUserName", staffName);
      put(r, "handleUserPageCode", t.staffId());
    }
    r.put("satisfaction", codes.satisfactionOf(rating.level().name()).orElseThrow(() -> new Unmappable("satisfaction",
        "等级 " + rating.level() + " 在 mappings/codes/" + codes.province() + "/satisfaction.csv 中没有代码 / no satisfaction code for "
            + rating.level())));
    if (!rating.tags().isEmpty()) {
      r.put("evalDetail", String.join(",", rating.tags()));
    }
    put(r, "writingEvaluation", rating.comment());
    put(r, "assessTime", time(rating.ratedAt()));
    r.put("assessNumber", Integer.toString(rating.assessNumber()));
    r.put("serviceNumber", Integer.toString(serviceNumber));
    r.put("pf", codes.pfOf(rating.channel().name()).orElseThrow(() -> new Unmappable("pf",
        "渠道 " + rating.channel() + " 在 mappings/codes/" + codes.province() + "/channels.csv 中没有 pf 代码 / no pf code for channel "
            + rating.channel())));
    r.put("dataSource", dataSource);
    return r;
  }

  /** A 33-character 业务办理项编码 is cut to its 31-character 实施编码; anything else is sent as it is. */
  static String taskCode(String code) {
    return code != null && code.length() == TASK_HANDLE_ITEM_LENGTH ? code.substring(0, TASK_CODE_LENGTH) : code;
  }

  static String time(OffsetDateTime t) {
    return t == null ? null : ChinaTime.of(t).format(TIME);
  }

  private String caseCode(String field, String canonical) throws Unmappable {
    return codes.caseCode(field, canonical).orElseThrow(() -> new Unmappable(field,
        field + " 的 " + canonical + " 在 mappings/codes/" + codes.province() + "/case-codes.csv 中没有代码 / no " + field
            + " code for " + canonical));
  }

  private static void put(ObjectNode r, String field, String value) {
    if (value != null && !value.isBlank()) {
      r.put(field, value);
    }
  }
}
