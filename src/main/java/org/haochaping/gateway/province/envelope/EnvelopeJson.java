package org.haochaping.gateway.province.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The JSON plumbing both envelopes share: reading fields strictly, writing bodies, nonces. */
final class EnvelopeJson {

  static final ObjectMapper MAPPER = new ObjectMapper();
  private static final SecureRandom RANDOM = new SecureRandom();

  private EnvelopeJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static byte[] write(ObjectNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(byte[] body) throws EnvelopeException {
    try {
      JsonNode node = MAPPER.readTree(body);
      if (node == null || !node.isObject()) {
        throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "body is not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "body is not JSON");
    }
  }

  /** A required, non-empty string field. */
  static String text(JsonNode envelope, String field) throws EnvelopeException {
    JsonNode value = envelope.get(field);
    if (value == null || !value.isTextual() || value.asText().isEmpty()) {
      throw new EnvelopeException(EnvelopeException.Reason.MALFORMED, "missing string field '" + field + "'");
    }
    return value.asText();
  }

  /** 16 random bytes as 32 lower-case hex characters. */
  static String nonce() {
    return HexFormat.of().formatHex(randomBytes(16));
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  static SecureRandom random() {
    return RANDOM;
  }

  /** Decodes strictly: a payload that is not valid UTF-8 is a caller bug, not something to mangle. */
  static String utf8(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("payload is not valid UTF-8", e);
    }
  }
}
