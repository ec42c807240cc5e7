package org.haochaping.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.Stage;
import org.haochaping.gateway.model.Target;
import org.haochaping.gateway.model.TargetType;

/**
 * What makes two ratings "the same rating" (DESIGN §4 idempotency): the natural key
 * (caseNo, assessNumber, stage, target) and the content a client sent.
 *
 * <p>The item is rated once per case, so ITEM and ITEM_AND_STAFF share the key of the item; a
 * STAFF rating is per staff member and per window visit (000 第十七条: staff are rated after
 * every visit).
 */
public final class RatingIdentity {

  /** Fields the gateway assigns; a client sending them differently is still sending the same rating. */
  private static final List<String> ASSIGNED = List.of("ratingId", "score", "receivedAt", "defaulted", "case");

  private RatingIdentity() {}

  public static String naturalKey(Rating r) {
    return naturalKey(r, r.assessNumber());
  }

  /**
   * The key {@code r} would have as rating number {@code assessNumber}: with 1, the first rating a
   * 追加评价 follows (000 第二十一条).
   */
  public static String naturalKey(Rating r, int assessNumber) {
    Target t = r.target();
    if (t.type() == TargetType.STAFF) {
      return sha256(r.caseNo() + '|' + assessNumber + '|' + r.stage() + "|STAFF|" + nz(t.staffId()) + '|' + nz(r.visitId()));
    }
    return itemKey(r.caseNo(), assessNumber, r.stage());
  }

  /** The key of the item rating of a case: what a default rating, a batch or a theme rating claims. */
  public static String itemKey(String caseNo, int assessNumber, Stage stage) {
    return sha256(caseNo + '|' + assessNumber + '|' + stage + "|ITEM");
  }

  /** A digest of what the client sent, without the fields the gateway assigns, independent of key order. */
  public static String contentHash(JsonNode document) {
    JsonNode content = document;
    if (document instanceof ObjectNode object) {
      ObjectNode copy = object.deepCopy();
      copy.remove(ASSIGNED);
      content = copy;
    }
    return sha256(Json.text(Json.canonical(content)));
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
