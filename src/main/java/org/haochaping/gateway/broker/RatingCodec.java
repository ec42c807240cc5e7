package org.haochaping.gateway.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.store.PersonalDataCipher;

/**
 * A rating as it travels through the broker: the canonical JSON with the evaluator replaced by
 * {@code evaluatorSealed}, because the broker journal is data at rest too.
 */
public final class RatingCodec {

  private final PersonalDataCipher cipher;

  public RatingCodec(PersonalDataCipher cipher) {
    this.cipher = cipher;
  }

  public byte[] encode(Rating rating) {
    ObjectNode node = Json.MAPPER.valueToTree(rating);
    node.remove("evaluator");
    String sealed = cipher.seal(rating.evaluator());
    if (sealed != null) {
      node.put("evaluatorSealed", sealed);
    }
    return Json.bytes(node);
  }

  public Rating decode(byte[] body) {
    try {
      ObjectNode node = (ObjectNode) Json.MAPPER.readTree(body);
      String sealed = node.path("evaluatorSealed").asText(null);
      node.remove("evaluatorSealed");
      Rating r = Json.MAPPER.treeToValue(node, Rating.class);
      Person evaluator = cipher.openPerson(sealed);
      return new Rating(r.ratingId(), r.sourceRef(), r.caseNo(), r.assessNumber(), r.stage(), r.channel(), r.level(),
          r.score(), r.tags(), r.comment(), r.target(), evaluator, r.visitId(), r.ratedAt(), r.receivedAt(), r.defaulted(),
          r.questionnaire());
    } catch (IOException e) {
      throw new UncheckedIOException("not a rating message", e);
    }
  }
}
