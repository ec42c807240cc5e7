package org.haochaping.gateway.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/**
 * A node's port opens with its first REST route, before the others: a request for a route that is
 * not up yet is answered 503 STARTING with Retry-After (a client or load balancer tries again or
 * elsewhere), not 404 (which it takes as final). The chaos suite saw the 404 on a restarted node.
 */
class StartingNodeTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void aPathWithoutItsRouteIsNotYetThenNotFound() throws Exception {
    int port = GatewayTestSupport.freePort();
    GatewayHttpServer server = new GatewayHttpServer(new GatewayHttpServer.Settings("127.0.0.1", port, 1, 2, 1 << 20, 1 << 20));
    server.start();
    try {
      HttpResponse<String> starting = get(port, "/api/v1/cases");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(starting.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
      assertThat(starting.body()).contains("\"code\":\"STARTING\"").contains("网关正在启动").contains("/api/v1/cases");

      server.routesStarted();
      HttpResponse<String> unknown = get(port, "/api/v1/cases");
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("\"code\":\"NOT_FOUND\"");
    } finally {
      server.stop();
    }
  }

  @Test
  void aMethodWhoseRouteIsNotUpYetIsNotYetThenNotAllowed() throws Exception {
    int port = GatewayTestSupport.freePort();
    GatewayHttpServer server = new GatewayHttpServer(new GatewayHttpServer.Settings("127.0.0.1", port, 1, 2, 1 << 20, 1 << 20));
    try (CamelContext camel = new DefaultCamelContext()) {
      camel.addComponent("undertow", new GatewayUndertowComponent(server));
      camel.addRoutes(new RouteBuilder() {
        @Override
        public void configure() {
          // only the GET route of the path is up (its POST route would start later)
          restConfiguration().component("undertow").host("127.0.0.1").port(port);
          rest("/api/v1/things").get().to("direct:things");
          from("direct:things").setBody(constant("[]"));
        }
      });
      camel.start();
      assertThat(get(port, "/api/v1/things").statusCode()).isEqualTo(200);
      HttpResponse<String> starting = post(port, "/api/v1/things");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(starting.body()).contains("\"code\":\"STARTING\"");

      server.routesStarted();
      HttpResponse<String> notAllowed = post(port, "/api/v1/things");
      assertThat(notAllowed.statusCode()).isEqualTo(405);
      assertThat(notAllowed.headers().firstValue("Allow").orElse("")).contains("GET");
    } finally {
      server.stop();
    }
  }

  private static HttpResponse<String> post(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).POST(HttpRequest.BodyPublishers.ofString("{}"))
        .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
