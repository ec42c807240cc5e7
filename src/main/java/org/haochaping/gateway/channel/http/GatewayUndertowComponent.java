package org.haochaping.gateway.channel.http;

import org.apache.camel.component.undertow.UndertowComponent;
import org.apache.camel.component.undertow.UndertowHost;
import org.apache.camel.component.undertow.UndertowHostKey;

/** camel-undertow with the gateway's own HTTP server as its host. */
public final class GatewayUndertowComponent extends UndertowComponent {

  private final GatewayHttpServer server;

  public GatewayUndertowComponent(GatewayHttpServer server) {
    this.server = server;
  }

  @Override
  protected UndertowHost createUndertowHost(UndertowHostKey key) {
    return server;
  }
}
