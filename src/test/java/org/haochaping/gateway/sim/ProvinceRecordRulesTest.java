package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.haochaping.gateway.sim.NationalRecords.caseRecord;
import static org.haochaping.gateway.sim.NationalRecords.evaluation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ProvinceRecordRulesTest {

  // 2026-03-02 10:00 in Asia/Shanghai
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-02T02:00:00Z"), ZoneOffset.UTC);
  private final ProvinceRecordRules guangdong = new ProvinceRecordRules(ProvinceCodeTables.load("guangdong"), CLOCK);
  private final ProvinceRecordRules guangxi = new ProvinceRecordRules(ProvinceCodeTables.load("guangxi"), CLOCK);

  @Test
  void validRecordsPass() {
    assertThat(guangdong.checkCase(caseRecord("P1", CLOCK))).isEmpty();
    assertThat(guangdong.checkEvaluation(evaluation("guangdong", "P1", "5", CLOCK))).isEmpty();
    assertThat(guangxi.checkEvaluation(evaluation("guangxi", "P1", "1", CLOCK))).isEmpty();
  }

  static Stream<Arguments> brokenEvaluationFields() {
    return Stream.of(
        Arguments.of("projectNo", null, "必填"),
        Arguments.of("projectNo", "P".repeat(65), "长度不能超过64"),
        Arguments.of("taskCode", null, "必填"),
        Arguments.of("taskCode", "事项 编码", "字母或数字"),
        Arguments.of("taskHandleItem", NationalRecords.TASK_CODE + "1", "33位"),
        Arguments.of("taskCode", "11440881007009303X4440117001999", "前31位"),
        Arguments.of("taskName", null, "必填"),
        Arguments.of("taskName", "名".repeat(201), "长度不能超过200"),
        Arguments.of("proStatus", "4", "取值须为1、2、3之一"),
        Arguments.of("deptCode", null, "必填"),
        Arguments.of("areaCode", "44088100000", "12位数字"),
        Arguments.of("areaCode", "44088100000A", "12位数字"),
        Arguments.of("userName", null, "必填"),
        Arguments.of("userProp", "7", "user-props.csv"),
        Arguments.of("certKey", null, "必填"),
        Arguments.of("certKey", "4".repeat(65), "长度不能超过64"),
        Arguments.of("handleUserName", "李".repeat(51), "长度不能超过50"),
        Arguments.of("satisfaction", null, "必填"),
        Arguments.of("satisfaction", "6", "satisfaction.csv"),
        Arguments.of("evalDetail", "101,999", "tags.csv"),
        Arguments.of("writingEvaluation", "好".repeat(501), "长度不能超过500"),
        Arguments.of("assessTime", null, "必填"),
        Arguments.of("assessTime", "2026/03/02 09:00:00", "yyyy-MM-dd HH:mm:ss"),
        Arguments.of("assessTime", "2026-02-30 09:00:00", "yyyy-MM-dd HH:mm:ss"),
        Arguments.of("assessTime", "2026-03-02 10:05:01", "5分钟"),
        Arguments.of("assessNumber", "3", "取值须为1、2之一"),
        Arguments.of("serviceNumber", "0", "1至999"),
        Arguments.of("pf", "0", "channels.csv"),
        Arguments.of("pf", null, "必填"),
        Arguments.of("dataSource", "44", "3位数字"));
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @MethodSource("brokenEvaluationFields")
  void evaluationFieldRule(String field, String value, String rule) {
    ObjectNode record = evaluation("guangdong", "P1", "5", CLOCK);
    set(record, field, value);
    List<FieldViolation> violations = guangdong.checkEvaluation(record);
    assertThat(violations).extracting(FieldViolation::field).containsExactly(field);
    assertThat(violations.get(0).rule()).contains(rule);
  }

  @Test
  void assessTimeWithinFiveMinutesOfNowIsFine() {
    ObjectNode record = evaluation("guangdong", "P1", "5", CLOCK);
    record.put("assessTime", "2026-03-02 10:05:00");
    assertThat(guangdong.checkEvaluation(record)).isEmpty();
  }

  @Test
  void badRatingWithoutTagOrTextIsRejectedInGuangdongAtCodesOneAndTwo() {
    for (String code : List.of("1", "2")) {
      ObjectNode record = evaluation("guangdong", "P1", code, CLOCK);
      record.remove("evalDetail");
      assertThat(guangdong.checkEvaluation(record))
          .singleElement()
          .satisfies(v -> {
            assertThat(v.field()).isEqualTo("evalDetail");
            assertThat(v.rule()).contains("satisfaction=1、2").contains("writingEvaluation");
          });
    }
    ObjectNode basic = evaluation("guangdong", "P1", "3", CLOCK);
    basic.remove("evalDetail");
    assertThat(guangdong.checkEvaluation(basic)).isEmpty();
  }

  @Test
  void badRatingWithoutTagOrTextIsRejectedInGuangxiAtCodesFourAndFive() {
    ObjectNode veryDissatisfied = evaluation("guangxi", "P1", "5", CLOCK); // guangxi 5 = 非常不满意
    veryDissatisfied.remove("evalDetail");
    assertThat(guangxi.checkEvaluation(veryDissatisfied)).extracting(FieldViolation::field).containsExactly("evalDetail");

    ObjectNode verySatisfied = evaluation("guangxi", "P1", "1", CLOCK); // guangxi 1 = 非常满意
    verySatisfied.remove("evalDetail");
    assertThat(guangxi.checkEvaluation(verySatisfied)).isEmpty();
  }

  @Test
  void badRatingNeedsABadTagNotJustAnyTag() {
    ObjectNode onlyGoodTags = evaluation("guangdong", "P1", "1", CLOCK); // carries 101,102 (GOOD)
    assertThat(guangdong.checkEvaluation(onlyGoodTags)).extracting(FieldViolation::field).containsExactly("evalDetail");

    ObjectNode badTag = evaluation("guangdong", "P1", "1", CLOCK);
    badTag.put("evalDetail", "513,519");
    assertThat(guangdong.checkEvaluation(badTag)).isEmpty();

    ObjectNode text = evaluation("guangdong", "P1", "2", CLOCK);
    text.remove("evalDetail");
    text.put("writingEvaluation", "排队一个多小时");
    assertThat(guangdong.checkEvaluation(text)).isEmpty();
  }

  @Test
  void numbersAreAcceptedWhereCodesAreDigits() {
    ObjectNode record = evaluation("guangdong", "P1", "5", CLOCK);
    record.put("satisfaction", 5);
    record.put("assessNumber", 1);
    assertThat(guangdong.checkEvaluation(record)).isEmpty();
  }

  @Test
  void rulesNeverRepeatPersonalData() {
    ObjectNode record = evaluation("guangdong", "P1", "5", CLOCK);
    String certKey = "44088119900101123" + "4".repeat(50);
    record.put("certKey", certKey);
    record.put("userName", "张".repeat(101));
    assertThat(guangdong.checkEvaluation(record)).extracting(FieldViolation::message).noneMatch(m -> m.contains("4444") || m.contains("张张"));
  }

  static Stream<Arguments> brokenCaseFields() {
    return Stream.of(
        Arguments.of("projectNo", null, "必填"),
        Arguments.of("projectName", null, "必填"),
        Arguments.of("taskType", "1", "2位数字"),
        Arguments.of("taskCode", null, "必填"),
        Arguments.of("deptCode", "部门", "字母或数字"),
        Arguments.of("deptName", null, "必填"),
        Arguments.of("areaCode", "4408810000001", "12位数字"),
        Arguments.of("proStatus", "0", "取值须为1、2、3之一"),
        Arguments.of("acceptDate", "2026-03-02", "yyyy-MM-dd HH:mm:ss"),
        Arguments.of("promiseDay", "五", "整数"),
        Arguments.of("promiseType", "4", "取值须为0、1、2、3之一"),
        Arguments.of("proChannel", "3", "取值须为1、2之一"),
        Arguments.of("projectType", "0", "取值须为1、2之一"),
        Arguments.of("resultDate", "2026-03-01T10:00:00", "yyyy-MM-dd HH:mm:ss"),
        Arguments.of("resultDate", "2026-01-01 00:00:00", "早于受理时间"),
        Arguments.of("userName", null, "必填"),
        Arguments.of("userProp", "0", "user-props.csv"),
        Arguments.of("creditType", "112", "id-types.csv"),
        Arguments.of("creditNum", "44088119900101123", "18位"),
        Arguments.of("mobile", "1380013800", "11位"));
  }

  @ParameterizedTest(name = "{0} = {1} -> {2}")
  @MethodSource("brokenCaseFields")
  void caseFieldRule(String field, String value, String rule) {
    ObjectNode record = caseRecord("P1", CLOCK);
    set(record, field, value);
    List<FieldViolation> violations = guangdong.checkCase(record);
    assertThat(violations).extracting(FieldViolation::field).containsExactly(field);
    assertThat(violations.get(0).rule()).contains(rule);
  }

  private static void set(ObjectNode record, String field, String value) {
    if (value == null) {
      record.remove(field);
    } else {
      record.put(field, value);
    }
  }
}
