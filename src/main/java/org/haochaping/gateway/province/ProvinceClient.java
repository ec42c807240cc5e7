package org.haochaping.gateway.province;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.List;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.province.envelope.ProvinceEnvelope;
import org.haochaping.gateway.province.envelope.SealedRequest;

/**
 * One HTTP call to the province: {@code {"records":[...]}} sealed in the connector's envelope
 * (fresh nonce and time on every call, so a retry is never a replay) and POSTed. Answers the
 * province's reply, or throws {@link ProvinceUnavailable} when there is no usable reply.
 */
public final class ProvinceClient {

  private final ConnectorProfile profile;
  private final ProvinceEnvelope envelope;
  private final HttpClient http;

  public ProvinceClient(ConnectorProfile profile, ProvinceEnvelope envelope) {
    this.profile = profile;
    this.envelope = envelope;
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(profile.connectTimeout())
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  public ProvinceReply postCases(List<ObjectNode> records) throws ProvinceUnavailable, InterruptedException {
    return post(profile.casesPath(), records);
  }

  public ProvinceReply postEvaluations(List<ObjectNode> records) throws ProvinceUnavailable, InterruptedException {
    return post(profile.evaluationsPath(), records);
  }

  ProvinceReply post(String path, List<ObjectNode> records) throws ProvinceUnavailable, InterruptedException {
    ObjectNode payload = Json.MAPPER.createObjectNode();
    ArrayNode array = payload.putArray("records");
    records.forEach(array::add);
    SealedRequest sealed = envelope.seal(Json.bytes(payload));
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(profile.url() + path))
        .timeout(profile.requestTimeout())
        .header("Content-Type", sealed.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(sealed.body()));
    sealed.headers().forEach(request::header);
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      throw new ProvinceUnavailable("no answer within " + profile.requestTimeout().toMillis() + " ms (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new ProvinceUnavailable("network: " + e, e);
    }
    JsonNode answer = readJson(response.body());
    ProvinceReply reply = ProvinceReply.parse(answer);
    int status = response.statusCode();
    if (status == 200 && reply != null) {
      if (reply.ok() && reply.results().size() != records.size()) {
        throw new ProvinceUnavailable("answer has " + reply.results().size() + " results for " + records.size() + " records");
      }
      return reply;
    }
    if (status == 401 && reply != null) {
      // 1001: the envelope was refused (signature, keys, clock, nonce). Fixing the connector's keys
      // or the clock makes it pass, so the ratings wait rather than being dropped.
      throw new ProvinceUnavailable("envelope refused (" + reply.code() + " " + answer.path("reason").asText("") + "): "
          + reply.message() + "; check the connector keys and the clock");
    }
    String what = reply != null ? reply.code() + " " + reply.message() : answer == null ? "not JSON" : "not a province answer";
    throw new ProvinceUnavailable("HTTP " + status + " (" + what + ")");
  }

  private static JsonNode readJson(byte[] body) {
    try {
      return body.length == 0 ? null : Json.MAPPER.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }
}
