package org.haochaping.gateway.channel.evaluator;

import java.util.regex.Pattern;

/**
 * The MQTT topics of window evaluators (DESIGN §4, docs/evaluator-protocol.md), all under
 * {@code hcp/evaluators/{deviceId}/}: {@code prompt} and {@code ack} from the gateway,
 * {@code rating} and {@code status} from the device.
 */
public final class EvaluatorTopics {

  public static final String ROOT = "hcp/evaluators/";

  /** The user name of the gateway's own MQTT clients on the embedded broker; no device may take it. */
  public static final String GATEWAY_USER = "hcp-gateway";

  /**
   * A device id: letters, digits, {@code -} and {@code _}, at most 40 characters. No {@code /},
   * {@code .}, {@code +}, {@code #} or {@code *}: the id is one topic level and one word of the
   * broker's address, never a wildcard.
   */
  private static final Pattern DEVICE_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$");

  private EvaluatorTopics() {}

  public static boolean isDeviceId(String id) {
    return id != null && DEVICE_ID.matcher(id).matches() && !id.equalsIgnoreCase(GATEWAY_USER);
  }

  public static String prompt(String deviceId) {
    return ROOT + deviceId + "/prompt";
  }

  public static String ack(String deviceId) {
    return ROOT + deviceId + "/ack";
  }

  public static String rating(String deviceId) {
    return ROOT + deviceId + "/rating";
  }

  public static String status(String deviceId) {
    return ROOT + deviceId + "/status";
  }

  /** The device of a topic {@code hcp/evaluators/{deviceId}/{kind}}, or null when the topic is not one. */
  public static String deviceOf(String topic) {
    if (topic == null || !topic.startsWith(ROOT)) {
      return null;
    }
    int slash = topic.indexOf('/', ROOT.length());
    if (slash < 0 || topic.indexOf('/', slash + 1) >= 0) {
      return null;
    }
    String id = topic.substring(ROOT.length(), slash);
    return isDeviceId(id) ? id : null;
  }

  /**
   * The broker address words under which a device may act: the MQTT topic
   * {@code hcp/evaluators/EV-1/rating} is the Artemis address {@code hcp.evaluators.EV-1.rating}.
   */
  static String addressPrefix(String deviceId) {
    return "hcp.evaluators." + deviceId + ".";
  }

  /** Every evaluator address, for the gateway's own clients. */
  static final String ADDRESS_ROOT = "hcp.evaluators.";
}
