package org.haochaping.gateway.channel;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What an API route answers when something unexpected breaks: a problem document, never a stack trace. */
public final class ErrorReplies {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

  public void unexpected(Exchange exchange) {
    Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    String route = exchange.getFromRouteId();
    LOG.error("Unexpected error in route {}", route, error);
    HttpReply.problem(exchange, Problem.of(500, "INTERNAL", "网关内部错误", "Internal error",
        "已记录（路由 " + route + "），请联系运维 / logged (route " + route + "); contact the operators"));
  }
}
