package org.haochaping.gateway.channel.http;

import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.nio.ByteBuffer;
import org.haochaping.gateway.Json;
import org.haochaping.gateway.channel.Problem;

/** Writes a problem document straight to an Undertow exchange, outside any Camel route. */
final class ProblemWriter {

  private ProblemWriter() {}

  static void write(HttpServerExchange exchange, Problem problem) {
    if (exchange.isResponseStarted()) {
      return;
    }
    exchange.setStatusCode(problem.status());
    exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Problem.MEDIA_TYPE + ";charset=UTF-8");
    exchange.getResponseSender().send(ByteBuffer.wrap(Json.bytes(problem)));
  }
}
