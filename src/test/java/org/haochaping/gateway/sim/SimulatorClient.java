package org.haochaping.gateway.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.haochaping.gateway.province.envelope.ProvinceEnvelope;
import org.haochaping.gateway.province.envelope.SealedRequest;

/** What the gateway's forwarding does, reduced to the HTTP call: seal and POST. */
final class SimulatorClient {

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String baseUrl;
  private final ProvinceEnvelope envelope;

  SimulatorClient(String baseUrl, ProvinceEnvelope envelope) {
    this.baseUrl = baseUrl;
    this.envelope = envelope;
  }

  HttpResponse<String> send(String path, byte[] payload) throws IOException, InterruptedException {
    return post(path, envelope.seal(payload));
  }

  HttpResponse<String> post(String path, SealedRequest sealed) throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", sealed.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(sealed.body()));
    sealed.headers().forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> control(String method, String path, String json) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .header("Content-Type", "application/json")
            .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) throws IOException {
    return NationalRecords.JSON.readTree(response.body());
  }
}
