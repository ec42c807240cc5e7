package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Valid case and evaluation records in the national field names, for tests to spoil one field at a time. */
final class NationalRecords {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String TASK_CODE = "11440881007009303X4440117001001"; // 31 characters: 实施编码
  static final String TASK_HANDLE_ITEM = TASK_CODE + "01"; // 33 characters: 业务办理项编码
  private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

  private NationalRecords() {}

  static String time(Clock clock, long minutesFromNow) {
    return LocalDateTime.now(clock.withZone(CHINA)).plusMinutes(minutesFromNow).format(FORMAT);
  }

  static ObjectNode caseRecord(String projectNo, Clock clock) {
    ObjectNode r = JSON.createObjectNode();
    r.put("projectNo", projectNo);
    r.put("projectName", "个体工商户设立登记");
    r.put("taskType", "01");
    r.put("taskCode", TASK_CODE);
    r.put("deptCode", "11440881007009303X");
    r.put("deptName", "廉江市市场监督管理局");
    r.put("areaCode", "440881000000");
    r.put("proStatus", "3");
    r.put("acceptDate", time(clock, -2 * 24 * 60));
    r.put("promiseDay", "5");
    r.put("promiseType", "1");
    r.put("proChannel", "2");
    r.put("projectType", "2");
    r.put("resultDate", time(clock, -24 * 60));
    r.put("userName", "张三");
    r.put("userProp", "1");
    r.put("creditType", "111");
    r.put("creditNum", "440881199001011234");
    r.put("mobile", "13800138000");
    return r;
  }

  /** A first rating at the hall evaluator; {@code satisfaction} is the wire code of that province. */
  static ObjectNode evaluation(String province, String projectNo, String satisfaction, Clock clock) {
    ObjectNode r = JSON.createObjectNode();
    r.put("projectNo", projectNo);
    r.put("taskCode", TASK_CODE);
    r.put("taskHandleItem", TASK_HANDLE_ITEM);
    r.put("taskName", "个体工商户设立登记");
    r.put("proStatus", "3");
    r.put("deptCode", "11440881007009303X");
    r.put("areaCode", "440881000000");
    r.put("userName", "张三");
    r.put("userProp", "1");
    r.put("certKey", "440881199001011234");
    r.put("handleUserName", "李四");
    r.put("satisfaction", satisfaction);
    r.put("evalDetail", province.equals("guangxi") ? "A01,A03" : "101,102");
    r.put("writingEvaluation", "");
    r.put("assessTime", time(clock, -60));
    r.put("assessNumber", "1");
    r.put("serviceNumber", "1");
    r.put("pf", province.equals("guangxi") ? "5" : "4");
    r.put("dataSource", province.equals("guangxi") ? "450" : "440");
    return r;
  }

  /** {@code {"records":[...]}} as UTF-8 bytes. */
  static byte[] payload(ObjectNode... records) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode array = root.putArray("records");
    for (ObjectNode record : records) {
      array.add(record);
    }
    return root.toString().getBytes(StandardCharsets.UTF_8);
  }
}
