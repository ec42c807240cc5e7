package org.haochaping.gateway.province.envelope;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the envelope a connector's properties ask for.
 *
 * <table>
 *   <caption>settings per kind</caption>
 *   <tr><th>kind</th><th>settings</th></tr>
 *   <tr><td>{@code hmac-json}</td><td>{@code appKey}, {@code secret}</td></tr>
 *   <tr><td>{@code sm2-sm4}</td><td>{@code appMark}, {@code privateKey} (own, 32-byte hex),
 *       {@code peerPublicKey} (other side, {@code 04||x||y} hex)</td></tr>
 *   <tr><td>both</td><td>optional {@code maxSkewSeconds} (default 300)</td></tr>
 * </table>
 */
public final class ProvinceEnvelopes {

  private ProvinceEnvelopes() {}

  public static ProvinceEnvelope create(String kind, Map<String, String> settings) {
    return create(kind, settings, Clock.systemUTC());
  }

  public static ProvinceEnvelope create(String kind, Map<String, String> settings, Clock clock) {
    Duration maxSkew = Duration.ofSeconds(Long.parseLong(settings.getOrDefault("maxSkewSeconds", "300").strip()));
    switch (kind == null ? "" : kind.strip()) {
      case HmacJsonEnvelope.KIND:
        return new HmacJsonEnvelope(required(kind, settings, "appKey"), required(kind, settings, "secret"), clock, maxSkew);
      case Sm2Sm4Envelope.KIND:
        return new Sm2Sm4Envelope(
            required(kind, settings, "appMark"),
            required(kind, settings, "privateKey"),
            required(kind, settings, "peerPublicKey"),
            clock,
            maxSkew);
      default:
        throw new IllegalArgumentException(
            "unknown envelope kind '" + kind + "'; expected " + HmacJsonEnvelope.KIND + " or " + Sm2Sm4Envelope.KIND);
    }
  }

  /**
   * Reads {@code <prefix>kind} and every {@code <prefix>name} from a properties file, e.g. with
   * prefix {@code province.envelope.}: {@code province.envelope.kind=sm2-sm4}, {@code
   * province.envelope.appMark=...}.
   */
  public static ProvinceEnvelope fromProperties(Properties properties, String prefix) {
    Map<String, String> settings = new LinkedHashMap<>();
    for (String name : properties.stringPropertyNames()) {
      if (name.startsWith(prefix)) {
        settings.put(name.substring(prefix.length()), properties.getProperty(name));
      }
    }
    return create(settings.get("kind"), settings);
  }

  private static String required(String kind, Map<String, String> settings, String name) {
    String value = settings.get(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(kind + " envelope: setting '" + name + "' is missing");
    }
    // A secret is used byte for byte; identifiers and hex keys may carry stray spaces.
    return name.equals("secret") ? value : value.strip();
  }
}
