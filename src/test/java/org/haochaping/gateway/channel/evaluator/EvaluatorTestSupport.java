package org.haochaping.gateway.channel.evaluator;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.haochaping.gateway.Credentials;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;

/** The gateway with its MQTT acceptor on a free port, and what a hall administrator does over the admin API. */
abstract class EvaluatorTestSupport extends GatewayTestSupport {

  private int mqttPort;

  @Override
  protected Properties useOverridePropertiesWithPropertiesComponent() {
    Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.mqtt.host", "127.0.0.1");
    p.setProperty("hcp.mqtt.port", Integer.toString(mqttPort()));
    p.setProperty("hcp.mqtt.maxReconnectDelayMillis", "1000");
    return p;
  }

  /**
   * The port devices connect to: the embedded acceptor's, chosen on first use (camel-test asks for
   * the properties from the base class's constructor), or the external broker's MQTT acceptor.
   */
  synchronized int mqttPort() {
    if (environment().externalBroker() != null) {
      return environment().externalBroker().mqttPort();
    }
    if (mqttPort == 0) {
      try {
        mqttPort = freePort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return mqttPort;
  }

  /** The gateway's own MQTT password (user hcp-gateway): generated into its credentials, or the external broker's. */
  String gatewayMqttPassword() {
    return externalBroker() ? environment().externalBroker().mqttPassword()
        : bean("credentials", Credentials.class).get("mqtt.gateway.password");
  }

  String adminToken() {
    return bean("credentials", Credentials.class).get("admin.token");
  }

  /** An admin API call with the bearer token (or with {@code token}, null for none). */
  Api.Response admin(String method, String path, Object body, String token) {
    Api caller = token == null ? api.unsigned() : api.bearer(token);
    return body == null ? caller.send(method, path, null, null)
        : caller.send(method, path, "application/json", Json.text(body).getBytes(StandardCharsets.UTF_8));
  }

  Api.Response admin(String method, String path, Object body) {
    return admin(method, path, body, adminToken());
  }

  /** Registers an evaluator at a window of the fixtures' hall; returns its password. */
  String register(String deviceId, String windowNo) {
    Api.Response r = admin("POST", "/api/v1/admin/devices", Map.of("deviceId", deviceId, "hallCode", "LJ-ZWFW-01", "windowNo", windowNo));
    if (r.status() != 201) {
      throw new AssertionError("registering " + deviceId + ": " + r);
    }
    return r.json().get("credentials").get("password").asText();
  }

  /** A window case at {@code windowNo}, pushed and then completed over REST as a window system does. */
  void completeCaseAt(String caseNo, String windowNo) {
    Map<String, Object> c = Fixtures.windowCase(caseNo);
    c.put("windowNo", windowNo);
    push(c);
    Api.Response done = api.post("/api/v1/cases/" + caseNo + "/events", Map.of("type", "COMPLETED"));
    if (done.status() != 200) {
      throw new AssertionError("completing " + caseNo + ": " + done);
    }
  }

  void push(Map<String, Object> c) {
    Api.Response pushed = api.post("/api/v1/cases", c);
    if (pushed.status() != 201 && pushed.status() != 200) {
      throw new AssertionError("pushing " + c.get("caseNo") + ": " + pushed);
    }
  }

  static JsonNode field(JsonNode node, String name) {
    return node.get(name);
  }
}
