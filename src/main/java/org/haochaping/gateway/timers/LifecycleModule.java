package org.haochaping.gateway.timers;

import org.apache.camel.CamelContext;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.GatewayModule;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.ops.CalendarHealthCheck;
import org.haochaping.gateway.policy.AppealPolicy;
import org.haochaping.gateway.policy.LifecyclePolicy;
import org.haochaping.gateway.policy.RatingScope;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.policy.WorkOrderPolicy;
import org.haochaping.gateway.store.RatingHistoryStore;
import org.haochaping.gateway.workorder.AgencyScores;
import org.haochaping.gateway.workorder.RatingCorrections;
import org.haochaping.gateway.workorder.WorkOrderApi;
import org.haochaping.gateway.workorder.WorkOrderIntake;
import org.haochaping.gateway.workorder.WorkOrders;

/**
 * Issue 7: the rating lifecycle (reminder, default rating, follow-up, content review, batch and theme
 * ratings) and 差评工单 with deadlines and appeals, for the profile the gateway runs.
 *
 * <p>Queues: {@code case-events::lifecycle.cases}, {@code ratings::lifecycle.ratings},
 * {@code ratings::workorders}; address {@code lifecycle-events} for what it tells other modules.
 * Routes: routes/lifecycle.camel.yaml, routes/timers.camel.yaml, routes/workorders.camel.yaml.
 */
public final class LifecycleModule implements GatewayModule {

  public static final String CASES_QUEUE = "lifecycle.cases";
  public static final String RATINGS_QUEUE = "lifecycle.ratings";
  public static final String WORK_ORDERS_QUEUE = "workorders";

  @Override
  public void configure(CamelContext context, GatewayCore core) throws Exception {
    BrokerTopology topology = core.topology();
    topology.ensureAddress(LifecycleOutbox.ADDRESS);
    topology.ensure(BrokerTopology.CASE_EVENTS, CASES_QUEUE);
    topology.ensure(BrokerTopology.RATINGS, RATINGS_QUEUE);
    topology.ensure(BrokerTopology.RATINGS, WORK_ORDERS_QUEUE);

    var calendar = core.policy().calendar();
    core.health().register(new CalendarHealthCheck(calendar));
    var deadlines = core.policy().deadlines();
    var profile = core.profile();
    var clock = core.clock();
    var db = core.database();
    int batch = Integer.parseInt(context.getPropertiesComponent().resolveProperty("hcp.lifecycle.batchSize").orElse("200").strip());

    LifecyclePolicy lifecycle = new LifecyclePolicy(profile, deadlines);
    WorkOrderPolicy workOrderPolicy = new WorkOrderPolicy(profile, deadlines);
    RatingScope scope = new RatingScope(profile);
    RatingHistoryStore history = new RatingHistoryStore(db);

    TimerStore timers = new TimerStore(db, clock);
    LifecycleOutbox outbox = new LifecycleOutbox(db, core.publisher(), clock, core.settings().sendTimeout(), core.meters());
    RatingApplications applications = new RatingApplications(db, clock);
    ContentReviews reviews = new ContentReviews(db, timers, outbox, lifecycle, clock);
    RatingCorrections corrections = new RatingCorrections(outbox, clock);
    WorkOrders workOrders = new WorkOrders(db, core.cipher(), timers, outbox, workOrderPolicy, new AppealPolicy(profile, deadlines),
        corrections, clock, core.meters());
    LifecycleTimers lifecycleTimers = new LifecycleTimers(lifecycle, core.cases(), history, core.ratingIntake(), outbox, clock);

    TimerPoller poller = new TimerPoller(timers, outbox, clock, batch, core.meters())
        .handle(TimerKind.REMINDER, lifecycleTimers::reminders)
        .handle(TimerKind.DEFAULT_RATING, lifecycleTimers::defaults)
        .handle(TimerKind.CONTENT_REVIEW, reviews::approveWhenDue)
        .handle(TimerKind.WORK_ORDER_RECTIFY, workOrders::deadlinePassed)
        .handle(TimerKind.WORK_ORDER_REPORT, workOrders::deadlinePassed)
        .handle(TimerKind.APPEAL_VERIFY, workOrders::deadlinePassed);

    var registry = context.getRegistry();
    registry.bind("lifecycleScheduler", new LifecycleScheduler(lifecycle, timers));
    registry.bind("lifecycleRatings", new LifecycleRatings(core.codec(), lifecycle, scope, timers, reviews, applications, core.cases(),
        history, core.ratingIntake(), outbox));
    registry.bind("lifecyclePoller", poller);
    registry.bind("timerStore", timers);
    registry.bind("lifecycleOutbox", outbox);
    registry.bind("contentReviews", reviews);
    registry.bind("contentReviewApi", new ContentReviewApi(reviews));
    registry.bind("workOrders", workOrders);
    registry.bind("workOrderIntake", new WorkOrderIntake(core.codec(), workOrders, applications));
    registry.bind("workOrderApi", new WorkOrderApi(workOrders, workOrderPolicy));
    registry.bind("agencyScores", new AgencyScores(db, profile));
  }
}
