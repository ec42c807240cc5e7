package org.haochaping.gateway.channel.http;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import org.apache.camel.component.undertow.UndertowConsumer;
import org.apache.camel.component.undertow.handlers.RestConsumerPath;
import org.apache.camel.support.RestConsumerContextPathMatcher;
import org.apache.camel.util.StringHelper;
import org.apache.camel.util.UnsafeUriCharactersEncoder;
import org.haochaping.gateway.channel.Problem;

/**
 * Finds the Camel REST consumer for a request, as camel-undertow's RestRootHandler does, but
 * answers an unknown path (404) or method (405) with {@code application/problem+json} like every
 * other refusal of the gateway.
 */
final class ApiRouter implements HttpHandler {

  private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS");

  private final Set<UndertowConsumer> consumers = new CopyOnWriteArraySet<>();
  /**
   * False until every route has started: the port opens with the first REST route, and a path whose
   * route is not up yet is not "not found" but "not yet" (a client or load balancer retries a 503,
   * not a 404; seen in the chaos suite, docs/chaos.md).
   */
  private volatile boolean allStarted;

  void allStarted() {
    allStarted = true;
  }

  void add(UndertowConsumer consumer) {
    consumers.add(consumer);
    RestConsumerContextPathMatcher.register(consumer.getEndpoint().getHttpURI().getPath());
  }

  void remove(UndertowConsumer consumer) {
    consumers.remove(consumer);
    RestConsumerContextPathMatcher.unRegister(consumer.getEndpoint().getHttpURI().getPath());
  }

  @Override
  public void handleRequest(HttpServerExchange exchange) throws Exception {
    String method = exchange.getRequestMethod().toString();
    HttpHandler handler = find(exchange, method);
    if (handler != null) {
      handler.handleRequest(exchange);
      return;
    }
    // Not yet started: this method's route may be what is missing (a node whose GET route of a path is
    // up before its POST route would answer a POST 405; the chaos suite saw it on a restarted node).
    if (!allStarted) {
      exchange.getResponseHeaders().put(io.undertow.util.Headers.RETRY_AFTER, "1");
      ProblemWriter.write(exchange, Problem.starting(exchange.getRequestPath()));
      return;
    }
    List<String> allowed = METHODS.stream().filter(m -> find(exchange, m) != null).toList();
    if (!allowed.isEmpty()) {
      exchange.getResponseHeaders().put(io.undertow.util.Headers.ALLOW, String.join(", ", allowed));
      ProblemWriter.write(exchange, Problem.of(405, "METHOD_NOT_ALLOWED", "不支持该请求方法", "Method not allowed",
          method + " " + exchange.getRequestPath() + "；允许 / allowed: " + String.join(", ", allowed)));
    } else {
      ProblemWriter.write(exchange, Problem.notFound("没有这个接口 / no such endpoint: " + exchange.getRequestPath()));
    }
  }

  private HttpHandler find(HttpServerExchange exchange, String method) {
    String path = pathAsKey(exchange.getRequestPath());
    List<RestConsumerContextPathMatcher.ConsumerPath<UndertowConsumer>> paths = new ArrayList<>();
    for (UndertowConsumer consumer : consumers) {
      paths.add(new RestConsumerPath(consumer));
    }
    RestConsumerContextPathMatcher.ConsumerPath<UndertowConsumer> best =
        RestConsumerContextPathMatcher.matchBestPath(method, path, paths);
    if (best != null) {
      return best.getConsumer();
    }
    List<UndertowConsumer> candidates = new ArrayList<>();
    for (UndertowConsumer consumer : consumers) {
      String consumerPath = consumer.getEndpoint().getHttpURI().getPath();
      if (RestConsumerContextPathMatcher.matchPath(path, consumerPath, consumer.getEndpoint().isMatchOnUriPrefix())
          && allows(method, consumer.getEndpoint().getHttpMethodRestrict())) {
        candidates.add(consumer);
      }
    }
    return candidates.size() == 1 ? candidates.get(0) : null;
  }

  private static String pathAsKey(String path) {
    if (path == null || path.equals("/")) {
      path = "";
    }
    path = StringHelper.before(path, "?", path);
    if (path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return UnsafeUriCharactersEncoder.encodeHttpURI(path);
  }

  private static boolean allows(String method, String restrict) {
    return restrict == null || restrict.toLowerCase(Locale.ENGLISH).contains(method.toLowerCase(Locale.ENGLISH));
  }
}
