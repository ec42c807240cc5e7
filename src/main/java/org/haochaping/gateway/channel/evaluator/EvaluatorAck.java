package org.haochaping.gateway.channel.evaluator;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import org.haochaping.gateway.channel.Problem;

/**
 * The gateway's answer on {@code hcp/evaluators/{deviceId}/ack} (DESIGN §4): {@code {msgId, ratingId}}
 * when the rating is durably accepted, {@code {msgId, error}} when it is refused. The error says
 * which field broke which rule, in Chinese and English, and whether sending the same message again
 * later can help ({@code retry}: only when the gateway could not store it just now).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EvaluatorAck(String msgId, String ratingId, Error error) {

  /** Why a rating was refused; the same words and codes as the REST API's problem documents. */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Error(String code, String title, String detail, List<Problem.Item> violations, String ratingId, boolean retry) {}

  public static EvaluatorAck accepted(String msgId, String ratingId) {
    return new EvaluatorAck(msgId, ratingId, null);
  }

  public static EvaluatorAck refused(String msgId, Problem problem) {
    Map<String, Object> extra = problem.extensions();
    Object holder = extra == null ? null : extra.get("ratingId");
    boolean retry = problem.status() == 503;
    return new EvaluatorAck(msgId, null, new Error(problem.code(), problem.title(), problem.detail(), problem.violations(),
        holder == null ? null : holder.toString(), retry));
  }

  @JsonIgnore
  public boolean isAccepted() {
    return error == null;
  }

  /** Whether the device should send the same message again later (the gateway could not store it). */
  @JsonIgnore
  public boolean isRetryable() {
    return error != null && error.retry();
  }
}
