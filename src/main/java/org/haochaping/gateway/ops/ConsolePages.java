package org.haochaping.gateway.ops;

import io.undertow.server.HttpHandler;
import io.undertow.server.handlers.resource.ClassPathResourceManager;
import io.undertow.server.handlers.resource.ResourceHandler;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;

/**
 * The operations console at {@code /console}: static HTML, CSS and JavaScript from the classpath,
 * nothing from a CDN. The page holds no data; it calls {@code /api/v1/admin/*} with the bearer
 * token the person on call types in.
 */
public final class ConsolePages {

  private ConsolePages() {}

  public static HttpHandler handler() {
    ResourceHandler files = new ResourceHandler(new ClassPathResourceManager(ConsolePages.class.getClassLoader(), "console"))
        .setWelcomeFiles("index.html")
        .setDirectoryListingEnabled(false)
        .setCacheTime(60);
    return exchange -> {
      String path = exchange.getRequestPath();
      if (path.equals("/console")) {
        exchange.setStatusCode(StatusCodes.FOUND);
        exchange.getResponseHeaders().put(Headers.LOCATION, "/console/");
        exchange.endExchange();
        return;
      }
      exchange.setRelativePath(path.substring("/console".length()));
      exchange.getResponseHeaders().put(Headers.X_FRAME_OPTIONS, "DENY");
      exchange.getResponseHeaders().put(Headers.CONTENT_SECURITY_POLICY, "default-src 'self'; style-src 'self'; script-src 'self'");
      files.handleRequest(exchange);
    };
  }
}
