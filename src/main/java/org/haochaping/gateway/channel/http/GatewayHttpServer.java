package org.haochaping.gateway.channel.http;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.DefaultResponseListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.component.undertow.HttpHandlerRegistrationInfo;
import org.apache.camel.component.undertow.UndertowConsumer;
import org.apache.camel.component.undertow.UndertowHost;
import org.haochaping.gateway.channel.Problem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one HTTP port. Camel's REST routes are served through it (it is the UndertowHost
 * of the camel-undertow component), behind a front door that every request passes: body size
 * limits, and problem documents for whatever ends without a body (413, 500, 503 of a suspended route).
 */
public final class GatewayHttpServer implements UndertowHost {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayHttpServer.class);

  /** Limits and threads, from configuration. */
  public record Settings(String host, int port, int ioThreads, int workerThreads, long maxBodyBytes, long maxBatchBytes) {}

  private final Settings settings;
  private final ApiRouter api = new ApiRouter();
  private final Map<String, HttpHandler> prefixes = new ConcurrentHashMap<>();
  private Undertow undertow;

  public GatewayHttpServer(Settings settings) {
    this.settings = settings;
  }

  public Settings settings() {
    return settings;
  }

  /** Every route has started: from now on an unknown path is a 404 (before, a 503 STARTING). */
  public void routesStarted() {
    api.allStarted();
  }

  /** Serves everything under {@code prefix} (e.g. static pages) with a plain Undertow handler. */
  public void addPrefix(String prefix, HttpHandler handler) {
    prefixes.put(prefix, handler);
  }

  public synchronized void start() {
    if (undertow != null) {
      return;
    }
    undertow = Undertow.builder()
        .addHttpListener(settings.port(), settings.host())
        .setIoThreads(settings.ioThreads())
        .setWorkerThreads(settings.workerThreads())
        .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, settings.maxBatchBytes())
        .setServerOption(UndertowOptions.RECORD_REQUEST_START_TIME, false)
        .setHandler(this::frontDoor)
        .build();
    undertow.start();
    LOG.info("HTTP listening on {}:{} ({} I/O threads, {} workers)", settings.host(), settings.port(),
        settings.ioThreads(), settings.workerThreads());
  }

  public synchronized void stop() {
    if (undertow != null) {
      undertow.stop();
      undertow = null;
    }
  }

  /** Oversized bodies up to this size are read and dropped before the 413; larger ones are cut off. */
  private static final long DRAIN_BYTES = 64L * 1024 * 1024;

  private void frontDoor(HttpServerExchange exchange) throws Exception {
    exchange.addDefaultResponseListener(PROBLEM_ON_EMPTY_ERROR);
    if (exchange.getRequestMethod().equals(Methods.POST) || exchange.getRequestMethod().equals(Methods.PUT)) {
      long limit = exchange.getRequestPath().endsWith("/batch") ? settings.maxBatchBytes() : settings.maxBodyBytes();
      exchange.setMaxEntitySize(limit);
      long declared = exchange.getRequestContentLength();
      if (declared > limit) {
        exchange.setPersistent(false);
        Problem tooLarge = Problem.tooLarge(limit);
        if (declared <= DRAIN_BYTES) {
          // Read and drop the body first: closing on a client that is still writing resets the
          // connection, and the client never sees the 413 (RFC 9112 §9.6).
          exchange.setMaxEntitySize(declared);
          exchange.getRequestReceiver().receivePartialBytes((ex, chunk, last) -> {
            if (last) {
              ProblemWriter.write(ex, tooLarge);
            }
          }, (ex, e) -> ProblemWriter.write(ex, tooLarge));
        } else {
          ProblemWriter.write(exchange, tooLarge);
        }
        return;
      }
    }
    String path = exchange.getRequestPath();
    for (Map.Entry<String, HttpHandler> p : prefixes.entrySet()) {
      if (path.startsWith(p.getKey())) {
        p.getValue().handleRequest(exchange);
        return;
      }
    }
    api.handleRequest(exchange);
  }

  /** Whatever ended with an error status and no body gets a problem document. */
  private static final DefaultResponseListener PROBLEM_ON_EMPTY_ERROR = exchange -> {
    if (exchange.isResponseStarted()) {
      return false;
    }
    Throwable error = exchange.getAttachment(DefaultResponseListener.EXCEPTION);
    Problem problem;
    if (error instanceof RequestTooBigException) {
      exchange.setPersistent(false);
      problem = Problem.tooLarge(exchange.getMaxEntitySize());
    } else if (error != null) {
      LOG.error("Unhandled error on {} {}", exchange.getRequestMethod(), exchange.getRequestPath(), error);
      problem = Problem.of(500, "INTERNAL", "网关内部错误", "Internal error", "已记录，请联系运维 / logged; contact the operators");
    } else if (exchange.getStatusCode() == 503) {
      problem = Problem.unavailable("该接口已暂停 / this endpoint is suspended");
    } else if (exchange.getStatusCode() >= 400) {
      problem = Problem.of(exchange.getStatusCode(), "HTTP_" + exchange.getStatusCode(), "请求未完成", "Request not completed", (String) null);
    } else {
      return false;
    }
    exchange.getResponseHeaders().remove(Headers.CONTENT_LENGTH);
    ProblemWriter.write(exchange, problem);
    return true;
  };

  // UndertowHost: camel-undertow registers each REST consumer here.

  @Override
  public void validateEndpointURI(URI httpURI) {
    if (httpURI.getPort() != settings.port()) {
      throw new IllegalArgumentException("REST endpoint " + httpURI + " is not on the gateway's HTTP port " + settings.port());
    }
  }

  @Override
  public HttpHandler registerHandler(UndertowConsumer consumer, HttpHandlerRegistrationInfo info, HttpHandler handler) {
    if (consumer == null || !consumer.isRest()) {
      throw new IllegalArgumentException("only REST DSL endpoints are served on the gateway port: " + info.getUri());
    }
    start();
    api.add(consumer);
    return api;
  }

  @Override
  public void unregisterHandler(UndertowConsumer consumer, HttpHandlerRegistrationInfo info) {
    if (consumer != null) {
      api.remove(consumer);
    }
  }
}
