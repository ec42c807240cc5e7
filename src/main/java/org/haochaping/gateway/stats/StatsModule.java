package org.haochaping.gateway.stats;

import org.apache.camel.CamelContext;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.timers.LifecycleOutbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 9: statistics, scores and rankings as the regulations define them (docs/statistics.md).
 *
 * <p>Queues: {@code ratings::stats}, {@code case-events::stats.cases}, {@code lifecycle-events::stats.lifecycle}.
 * Routes: routes/stats.camel.yaml. Tables: V7__statistics.sql.
 */
public final class StatsModule implements GatewayModule {

  private static final Logger LOG = LoggerFactory.getLogger(StatsModule.class);

  public static final String RATINGS_QUEUE = "stats";
  public static final String CASES_QUEUE = "stats.cases";
  public static final String LIFECYCLE_QUEUE = "stats.lifecycle";

  @Override
  public void configure(CamelContext context, GatewayCore core) throws Exception {
    BrokerTopology topology = core.topology();
    topology.ensure(BrokerTopology.RATINGS, RATINGS_QUEUE);
    topology.ensure(BrokerTopology.CASE_EVENTS, CASES_QUEUE);
    topology.ensure(LifecycleOutbox.ADDRESS, LIFECYCLE_QUEUE);

    var props = context.getPropertiesComponent();
    int batch = Integer.parseInt(props.resolveProperty("hcp.stats.batchSize").orElse("256").strip());
    boolean backfillOnStart = Boolean.parseBoolean(props.resolveProperty("hcp.stats.backfillOnStart").orElse("true").strip());

    var rules = core.profile().statistics();
    StatsRecorder recorder = new StatsRecorder(core.database(), core.codec(), rules, core.clock(), core.meters(), batch);
    core.resources().add(recorder);
    HallRegistry halls = new HallRegistry(core.database(), core.clock());
    StatsService service = new StatsService(new StatsQueries(core.database()), halls, rules);
    StatsBackfill backfill = new StatsBackfill(recorder, core.clock(), 1000);

    var registry = context.getRegistry();
    registry.bind("statsRecorder", recorder);
    registry.bind("statsService", service);
    registry.bind("hallRegistry", halls);
    registry.bind("statsBackfill", backfill);
    // 000 第八条: what citizens answered to the items' questionnaires (docs/questionnaires.md).
    registry.bind("questionnaireStatsApi", new QuestionnaireStatsApi(
        registry.lookupByNameAndType("questionnaires", org.haochaping.gateway.policy.Questionnaires.class),
        registry.lookupByNameAndType("questionnaireAnswers", org.haochaping.gateway.store.QuestionnaireAnswers.class), core.clock()));
    registry.bind("statsApi", new StatsApi(service, halls, backfill, TagLabels.load(core.profile().codes()), core.profile().profile(),
        core.clock()));

    // A gateway upgraded to this version: its ledger has ratings the statistics never saw.
    if (backfillOnStart && backfill.needed()) {
      LOG.info("The ledger holds ratings the statistics have not counted: backfilling in the background");
      backfill.start();
    }
  }
}
