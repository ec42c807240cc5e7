package org.haochaping.gateway.channel.suggestion;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.haochaping.gateway.channel.HttpReply;
import org.haochaping.gateway.channel.mapping.ChannelIntake;

/** {@code POST /api/v1/suggestions}: staff enter one entry of a suggestion box, book or mailbox. */
public final class SuggestionApi {

  private final SuggestionIntake intake;

  public SuggestionApi(SuggestionIntake intake) {
    this.intake = intake;
  }

  /** 202 with the ratingId for an entry naming a case; 201 for feedback kept for the hall; 200 for feedback kept before. */
  public void submit(Exchange exchange) {
    JsonNode entry = ChannelIntake.readObject(exchange);
    if (entry == null) {
      return;
    }
    SuggestionIntake.Result r = intake.accept(entry);
    Map<String, Object> body = new LinkedHashMap<>();
    switch (r.kind()) {
      case RATING -> {
        body.put("kind", "RATING");
        body.put("ratingId", r.ratingId());
        HttpReply.json(exchange, 202, body);
      }
      case FEEDBACK, DUPLICATE_FEEDBACK -> {
        body.put("kind", "FEEDBACK");
        body.put("replay", r.kind() == SuggestionIntake.Result.Kind.DUPLICATE_FEEDBACK);
        HttpReply.json(exchange, r.kind() == SuggestionIntake.Result.Kind.FEEDBACK ? 201 : 200, body);
      }
      default -> HttpReply.problem(exchange, r.problem());
    }
  }
}
