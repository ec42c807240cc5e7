package org.haochaping.gateway.integrity;

import org.apache.camel.CamelContext;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.timers.LifecycleOutbox;
import org.haochaping.gateway.workorder.RatingCorrections;

/**
 * Issue 13 (integrity half): signals of manufactured good ratings (002 第十二条), computed as ratings arrive,
 * listed for review, confirmed or dismissed (docs/integrity.md).
 *
 * <p>Queue: {@code ratings::integrity}. Routes: routes/integrity.camel.yaml. Tables: V8__integrity.sql.
 * Thresholds: mappings/policy/&lt;profile&gt;.integrity.yaml. Needs the lifecycle module (its outbox carries
 * RATING_CORRECTED), so it comes after it in {@code GatewayConfiguration.MODULES}.
 */
public final class IntegrityModule implements GatewayModule {

  public static final String RATINGS_QUEUE = "integrity";

  @Override
  public void configure(CamelContext context, GatewayCore core) throws Exception {
    core.topology().ensure(BrokerTopology.RATINGS, RATINGS_QUEUE);
    IntegrityRules rules = IntegrityRules.load(core.profile().profile());
    LifecycleOutbox outbox = context.getRegistry().lookupByNameAndType("lifecycleOutbox", LifecycleOutbox.class);
    if (outbox == null) {
      throw new IllegalStateException("the integrity module needs the lifecycle module's outbox (lifecycleOutbox)");
    }
    IntegrityMetrics metrics = new IntegrityMetrics(core.database(), core.meters());
    IntegrityFlags flags = new IntegrityFlags(core.database(), new RatingCorrections(outbox, core.clock()), metrics, core.clock());
    var registry = context.getRegistry();
    IntegritySignals signals = new IntegritySignals(core.database(), core.codec(), core.cases(), core.cipher(), rules,
        core.policy().calendar(), core.clock(), metrics);
    core.resources().add(signals);
    registry.bind("integritySignals", signals);
    registry.bind("integrityFlags", flags);
    registry.bind("integrityApi", new IntegrityApi(flags, core.audit()));
  }
}
