package org.haochaping.gateway.channel.mapping;

/** The example payloads under mappings/channel/, for tests in other packages. */
public final class ChannelMappingRouteTestAccess {

  private ChannelMappingRouteTestAccess() {}

  public static String example(String name) {
    return ChannelMappingRouteTest.example(name);
  }
}
