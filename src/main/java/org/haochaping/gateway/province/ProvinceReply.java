package org.haochaping.gateway.province;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * What a province answered to a batch that it read: a code for the request as a whole, and one
 * result per record, in request order (docs/province-guide.md, "Answers").
 */
public record ProvinceReply(String code, String message, List<Result> results) {

  /** Success, for the request or for one record. */
  public static final String OK = "0000";
  /** A record with an invalid field: never accepted as it is. */
  public static final String INVALID_FIELD = "2001";
  /** The payload as a whole is not {"records":[1..500]}: a fault of the sender. */
  public static final String BAD_PAYLOAD = "2002";
  /** An evaluation whose case (办件) the province does not have. */
  public static final String CASE_UNKNOWN = "3001";
  /** An evaluation under a key (projectNo, assessNumber, serviceNumber) the province already has. */
  public static final String DUPLICATE = "3002";

  /** One record's fate. Case results carry only projectNo. */
  public record Result(String projectNo, String assessNumber, String serviceNumber, String code, String message) {
    public boolean ok() {
      return OK.equals(code);
    }
  }

  public ProvinceReply {
    results = List.copyOf(results);
  }

  /** Reads a JSON answer; null when it does not look like a province's answer at all. */
  public static ProvinceReply parse(JsonNode answer) {
    if (answer == null || !answer.isObject() || !answer.path("code").isValueNode()) {
      return null;
    }
    List<Result> results = new ArrayList<>();
    for (JsonNode r : answer.path("results")) {
      results.add(new Result(text(r, "projectNo"), text(r, "assessNumber"), text(r, "serviceNumber"), text(r, "code"),
          text(r, "message")));
    }
    return new ProvinceReply(answer.path("code").asText(), text(answer, "message"), results);
  }

  public boolean ok() {
    return OK.equals(code);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() || !v.isValueNode() ? null : v.asText();
  }
}
