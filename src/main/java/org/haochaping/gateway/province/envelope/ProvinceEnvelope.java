package org.haochaping.gateway.province.envelope;

/**
 * How one provincial 好差评 platform wants a payload wrapped on the wire: signed, maybe
 * encrypted, with a timestamp and a nonce. Each province chooses its own envelope (see
 * {@code docs/province-guide.md}); {@link ProvinceEnvelopes#create} builds one
 * from a connector's properties.
 *
 * <p>Implementations are thread-safe: one instance serves every request of a connector.
 */
public interface ProvinceEnvelope {

  /** The name used in connector properties, e.g. {@code hmac-json}. */
  String kind();

  /**
   * Gateway side: wraps the payload (UTF-8 JSON, e.g. {@code {"records":[...]}}) into the body and
   * headers to POST to the province. Each call uses a fresh nonce and the current time, so a
   * sealed request must not be re-sent after its time window (±300 s) has passed.
   */
  SealedRequest seal(byte[] payloadJson);

  /**
   * Province side (the simulator): checks the envelope and returns the payload JSON.
   *
   * @throws EnvelopeException malformed envelope, unknown sender, bad signature, stale timestamp,
   *     replayed nonce, or data that does not decrypt
   */
  byte[] open(SealedRequest request) throws EnvelopeException;
}
