package org.haochaping.gateway;

import org.apache.camel.CamelContext;

/**
 * A capability plugged into the gateway (forwarding, evaluators, SMS, timers...): given the core,
 * it declares its queues, opens what it needs and binds the beans its YAML routes call.
 * Modules are listed in {@link GatewayConfiguration#MODULES} and configured in that order.
 */
public interface GatewayModule {

  void configure(CamelContext context, GatewayCore core) throws Exception;
}
