package org.haochaping.gateway.province;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.haochaping.gateway.model.CaseMode;
import org.haochaping.gateway.model.CaseStatus;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.ProjectType;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.ServiceCase;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every national field from its canonical source, with each province's codes and direction. */
class NationalMappingTest {

  static final String TASK_HANDLE_ITEM = "11440881007009303X444011700100101"; // 33: 业务办理项编码
  static final Person APPLICANT = new Person("张三", "111", "440881199001011233", "13812340000", "1");
  static final Person EVALUATOR = new Person("王五", "111", "44088119850505123X", "13900001111", "1");

  static final NationalMapping GUANGDONG = new NationalMapping(ProvinceCodeTables.load("guangdong"), "440");
  static final NationalMapping GUANGXI = new NationalMapping(ProvinceCodeTables.load("guangxi"), "450");

  static ServiceCase serviceCase(CaseStatus status, CaseMode mode, ProjectType type, Integer promiseDays) {
    return new ServiceCase("LJ2026112400001", TASK_HANDLE_ITEM, "个体工商户设立登记", "LJSCJGJ", "廉江市市场监督管理局", "440881000000",
        "LJ-ZWFW-01", "12", "S0012", "李四", "市场监管", mode, type, APPLICANT, status,
        OffsetDateTime.of(2026, 11, 24, 9, 5, 0, 0, ZoneOffset.ofHours(8)),
        status == CaseStatus.COMPLETED ? OffsetDateTime.of(2026, 11, 24, 1, 30, 15, 0, ZoneOffset.UTC) : null, promiseDays, "V1",
        null);
  }

  static ServiceCase completed() {
    return serviceCase(CaseStatus.COMPLETED, CaseMode.WINDOW, ProjectType.IMMEDIATE, null);
  }

  static Rating rating(Level level, Channel channel, TargetType type, Person evaluator, List<String> tags, String comment) {
    Target target = new Target(type, TASK_HANDLE_ITEM, "个体工商户设立登记", "LJSCJGJ", "S0012", "LJ-ZWFW-01", "12", "440881000000", "市场监管");
    return new Rating("019ab5c0-0000-7000-8000-000000000001", "src-1", "LJ2026112400001", 2, Stage.OVERALL, channel, level,
        level.score(), tags, comment, target, evaluator, "V1", OffsetDateTime.of(2026, 11, 24, 2, 0, 5, 0, ZoneOffset.UTC),
        OffsetDateTime.of(2026, 11, 24, 10, 0, 6, 0, ZoneOffset.ofHours(8)), false);
  }

  @Test
  void questionnaireAnswersAreNeverForwarded() throws Exception {
    // 000 第八条 answers stay with the gateway: the national evaluation record has no field for them.
    Rating plain = rating(Level.DISSATISFIED, Channel.QR_DYNAMIC, TargetType.ITEM, EVALUATOR, List.of("517"), "等了很久");
    java.util.Map<String, Object> answers = new java.util.LinkedHashMap<>();
    answers.put("whatWentWrong", List.of("WAIT", "SLOW"));
    answers.put("speed", 2);
    answers.put("suggestion", "希望增加网上预约");
    Rating answered = new Rating(plain.ratingId(), plain.sourceRef(), plain.caseNo(), plain.assessNumber(), plain.stage(),
        plain.channel(), plain.level(), plain.score(), plain.tags(), plain.comment(), plain.target(), plain.evaluator(),
        plain.visitId(), plain.ratedAt(), plain.receivedAt(), plain.defaulted(), answers);
    for (NationalMapping mapping : List.of(GUANGDONG, GUANGXI)) {
      ObjectNode withAnswers = mapping.evaluation(answered, completed(), 1);
      assertThat(withAnswers).as("the same record with or without answers").isEqualTo(mapping.evaluation(plain, completed(), 1));
      assertThat(withAnswers.has("questionnaire")).isFalse();
      assertThat(withAnswers.toString()).doesNotContain("whatWentWrong").doesNotContain("SLOW").doesNotContain("希望增加网上预约");
    }
  }

  @Test
  void everyEvaluationFieldComesFromItsCanonicalSource() throws Exception {
    Rating r = rating(Level.DISSATISFIED, Channel.EVALUATOR, TargetType.ITEM_AND_STAFF, EVALUATOR, List.of("513", "517"), "等了很久");
    ObjectNode e = GUANGDONG.evaluation(r, completed(), 3);

    assertThat(e.path("projectNo").asText()).isEqualTo("LJ2026112400001");                       // caseNo
    assertThat(e.path("taskCode").asText()).isEqualTo(TASK_HANDLE_ITEM.substring(0, 31));       // first 31 of target.taskCode
    assertThat(e.path("taskHandleItem").asText()).isEqualTo(TASK_HANDLE_ITEM);                  // target.taskCode (33)
    assertThat(e.path("taskName").asText()).isEqualTo("个体工商户设立登记");                          // target.itemName
    assertThat(e.path("proStatus").asText()).isEqualTo("3");                                    // case status COMPLETED
    assertThat(e.path("deptCode").asText()).isEqualTo("LJSCJGJ");                               // target.deptCode
    assertThat(e.path("areaCode").asText()).isEqualTo("440881000000");                          // target.areaCode
    assertThat(e.path("userName").asText()).isEqualTo("王五");                                   // evaluator.name
    assertThat(e.path("userProp").asText()).isEqualTo("1");                                     // evaluator.userProp
    assertThat(e.path("certKey").asText()).isEqualTo("44088119850505123X");                     // evaluator.idNo
    assertThat(e.path("handleUserName").asText()).isEqualTo("李四");                              // case.staffName (staff rated)
    assertThat(e.path("handleUserPageCode").asText()).isEqualTo("S0012");                         // target.staffId
    assertThat(e.path("satisfaction").asText()).isEqualTo("2");                                 // level via satisfaction.csv
    assertThat(e.path("evalDetail").asText()).isEqualTo("513,517");                             // tags, comma-separated
    assertThat(e.path("writingEvaluation").asText()).isEqualTo("等了很久");                        // comment
    assertThat(e.path("assessTime").asText()).isEqualTo("2026-11-24 10:00:05");                 // ratedAt in China time
    assertThat(e.path("assessNumber").asText()).isEqualTo("2");                                 // assessNumber
    assertThat(e.path("serviceNumber").asText()).isEqualTo("3");                                // assigned by forwarding
    assertThat(e.path("pf").asText()).isEqualTo("4");                                           // channel via channels.csv
    assertThat(e.path("dataSource").asText()).isEqualTo("440");                                 // profile dataSource
    List<String> names = new ArrayList<>();
    e.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactly("projectNo", "taskCode", "taskHandleItem", "taskName", "proStatus", "deptCode", "areaCode",
        "userName", "userProp", "certKey", "handleUserName", "handleUserPageCode", "satisfaction", "evalDetail", "writingEvaluation", "assessTime",
        "assessNumber", "serviceNumber", "pf", "dataSource");
  }

  @Test
  void everyCaseFieldComesFromItsCanonicalSource() throws Exception {
    ObjectNode c = GUANGDONG.caseRecord(serviceCase(CaseStatus.COMPLETED, CaseMode.ONLINE, ProjectType.PROMISED, 5));
    assertThat(c.path("projectNo").asText()).isEqualTo("LJ2026112400001");     // caseNo
    assertThat(c.path("projectName").asText()).isEqualTo("个体工商户设立登记");      // itemName
    assertThat(c.path("taskType").asText()).isEqualTo("01");                   // case-codes.csv taskType,DEFAULT
    assertThat(c.path("taskCode").asText()).isEqualTo(TASK_HANDLE_ITEM.substring(0, 31));
    assertThat(c.path("deptCode").asText()).isEqualTo("LJSCJGJ");
    assertThat(c.path("deptName").asText()).isEqualTo("廉江市市场监督管理局");
    assertThat(c.path("areaCode").asText()).isEqualTo("440881000000");
    assertThat(c.path("proStatus").asText()).isEqualTo("3");
    assertThat(c.path("acceptDate").asText()).isEqualTo("2026-11-24 09:05:00");
    assertThat(c.path("promiseDay").asText()).isEqualTo("5");
    assertThat(c.path("promiseType").asText()).isEqualTo("1");                 // 工作日
    assertThat(c.path("proChannel").asText()).isEqualTo("1");                  // ONLINE = 线上
    assertThat(c.path("projectType").asText()).isEqualTo("2");                 // 承诺件
    assertThat(c.path("resultDate").asText()).isEqualTo("2026-11-24 09:30:15"); // completedAt, UTC in, China time out
    assertThat(c.path("userName").asText()).isEqualTo("张三");                  // applicant
    assertThat(c.path("userProp").asText()).isEqualTo("1");
    assertThat(c.path("creditType").asText()).isEqualTo("111");
    assertThat(c.path("creditNum").asText()).isEqualTo("440881199001011233");
    assertThat(c.path("mobile").asText()).isEqualTo("13812340000");
  }

  @Test
  void acceptedWindowCaseIsOfflineImmediateAndInProgress() throws Exception {
    ObjectNode c = GUANGXI.caseRecord(serviceCase(CaseStatus.ACCEPTED, CaseMode.WINDOW, null, null));
    assertThat(c.path("proStatus").asText()).isEqualTo("2");
    assertThat(c.path("proChannel").asText()).isEqualTo("2");
    assertThat(c.path("projectType").asText()).isEqualTo("1");
    assertThat(c.path("promiseType").asText()).isEqualTo("0");
    assertThat(c.path("promiseDay").asText()).isEqualTo("0");
    assertThat(c.has("resultDate")).isFalse();
  }

  @ParameterizedTest(name = "{0}: guangdong {1}, guangxi {2}")
  @CsvSource({
      "VERY_SATISFIED, 5, 1",
      "SATISFIED, 4, 2",
      "BASIC, 3, 3",
      "DISSATISFIED, 2, 4",
      "VERY_DISSATISFIED, 1, 5"})
  void satisfactionRunsInEachProvincesDirection(Level level, String guangdong, String guangxi) throws Exception {
    Rating r = rating(level, Channel.PORTAL, TargetType.ITEM, EVALUATOR, List.of(), "理由");
    assertThat(GUANGDONG.evaluation(r, completed(), 1).path("satisfaction").asText()).isEqualTo(guangdong);
    assertThat(GUANGXI.evaluation(r, completed(), 1).path("satisfaction").asText()).isEqualTo(guangxi);
  }

  @ParameterizedTest(name = "{0}: guangdong pf {1}, guangxi pf {2}")
  @CsvSource({
      "PORTAL, 1, 1",
      "DEPT_SYSTEM, 1, 1",
      "APP, 2, 2",
      "MINI_PROGRAM, 2, 3",
      "QR_STATIC, 3, 4",
      "QR_DYNAMIC, 3, 4",
      "EVALUATOR, 4, 5",
      "SELF_SERVICE_TERMINAL, 5, 5",
      "HOTLINE_12345, 6, 6",
      "SMS, 7, 8",
      "SUGGESTION_BOX, 9, 9",
      "MAILBOX, 9, 9",
      "SYSTEM_DEFAULT, 8, 7"})
  void pfComesFromEachProvincesChannelTable(Channel channel, String guangdong, String guangxi) throws Exception {
    Rating r = rating(Level.VERY_SATISFIED, channel, TargetType.ITEM, EVALUATOR, List.of(), null);
    assertThat(GUANGDONG.evaluation(r, completed(), 1).path("pf").asText()).isEqualTo(guangdong);
    assertThat(GUANGXI.evaluation(r, completed(), 1).path("pf").asText()).isEqualTo(guangxi);
  }

  @Test
  void guangxiTagsAndDataSource() throws Exception {
    Rating r = rating(Level.VERY_DISSATISFIED, Channel.SMS, TargetType.ITEM, EVALUATOR, List.of("B01", "B05"), null);
    JsonNode e = GUANGXI.evaluation(r, completed(), 1);
    assertThat(e.path("evalDetail").asText()).isEqualTo("B01,B05");
    assertThat(e.path("dataSource").asText()).isEqualTo("450");
    assertThat(e.has("writingEvaluation")).isFalse();
  }

  @Test
  void anUnidentifiedEvaluatorRatesOnBehalfOfTheApplicant() throws Exception {
    JsonNode e = GUANGDONG.evaluation(rating(Level.VERY_SATISFIED, Channel.SYSTEM_DEFAULT, TargetType.ITEM, null, List.of(), null),
        completed(), 1);
    assertThat(e.path("userName").asText()).isEqualTo("张三");
    assertThat(e.path("certKey").asText()).isEqualTo("440881199001011233");
    assertThat(e.has("handleUserPageCode")).isFalse();
    assertThat(e.has("handleUserName")).as("the item alone is rated").isFalse();
  }

  @Test
  void aShortTaskCodeIsSentAsItIsWithoutTaskHandleItem() throws Exception {
    Rating r = rating(Level.SATISFIED, Channel.APP, TargetType.ITEM, EVALUATOR, List.of(), null);
    Rating shortCode = new Rating(r.ratingId(), r.sourceRef(), r.caseNo(), 1, r.stage(), r.channel(), r.level(), r.score(), r.tags(),
        r.comment(), new Target(TargetType.ITEM, "11440881MB2C93418X4440111001", "事项", "D", null, null, null, "440881000000", null),
        r.evaluator(), null, r.ratedAt(), r.receivedAt(), false);
    JsonNode e = GUANGDONG.evaluation(shortCode, completed(), 1);
    assertThat(e.path("taskCode").asText()).isEqualTo("11440881MB2C93418X4440111001");
    assertThat(e.has("taskHandleItem")).isFalse();
  }

  @Test
  void aRatingWithoutItsCaseCannotBeBuilt() {
    Rating r = rating(Level.SATISFIED, Channel.APP, TargetType.ITEM, EVALUATOR, List.of(), null);
    assertThatThrownBy(() -> GUANGDONG.evaluation(r, null, 1)).isInstanceOf(NationalMapping.Unmappable.class)
        .hasMessageContaining("LJ2026112400001");
  }

  @Test
  void missingCodesAreNamedWithTheirTable() {
    // a province table without the code a value needs: the record is dead-lettered, saying which table
    NationalMapping gapped = new NationalMapping(ProvinceCodeTables.load("gapped", NationalMappingTest.class.getClassLoader()), "999");
    Rating r = rating(Level.SATISFIED, Channel.SMS, TargetType.ITEM, EVALUATOR, List.of(), null);
    assertThatThrownBy(() -> gapped.evaluation(r, completed(), 1)).isInstanceOf(NationalMapping.Unmappable.class)
        .hasMessageContaining("channels.csv").hasMessageContaining("SMS");
    assertThatThrownBy(() -> gapped.caseRecord(completed())).isInstanceOf(NationalMapping.Unmappable.class)
        .hasMessageContaining("case-codes.csv");
  }
}
