package org.haochaping.gateway.timers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.haochaping.gateway.GatewayCore;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.Api;
import org.haochaping.gateway.support.Fixtures;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.haochaping.gateway.support.LifecycleEventObserver;
import org.haochaping.gateway.support.MutableClock;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 000 第二十条 on a simulated clock: 1,000 completed cases with mixed ratings. 24 hours later exactly
 * the unrated ones got one REMINDER_DUE each; 7 days later exactly the still-unrated ones got one
 * default 非常满意 (channel SYSTEM_DEFAULT, defaulted) in the ledger and one DEFAULT_RATED each. None
 * twice, with a second poller running concurrently with the gateway's own (against PostgreSQL when
 * -Dhcp.test.db.url is set).
 */
@Tag("db")
class ReminderAndDefaultRunTest extends GatewayTestSupport {

  private static final int CASES = 1_000;
  private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @Override
  protected Clock gatewayClock() {
    return clock;
  }

  @Override
  protected java.util.Properties useOverridePropertiesWithPropertiesComponent() {
    java.util.Properties p = super.useOverridePropertiesWithPropertiesComponent();
    p.setProperty("hcp.lifecycle.pollMillis", "200");
    return p;
  }

  private static String caseNo(int i) {
    return "RUN-" + String.format("%04d", i);
  }

  // The mix, by i % 10: 0-2 rate the item within 24 h (2 of them badly), 3 rates only the staff within
  // 24 h (which does not rate the item, 000 第二十条), 4-5 rate the item between 24 h and 7 days, 6-9 never.
  private static final IntPredicate ITEM_EARLY = i -> i % 10 <= 2;
  private static final IntPredicate STAFF_ONLY = i -> i % 10 == 3;
  private static final IntPredicate ITEM_LATE = i -> i % 10 == 4 || i % 10 == 5;

  @Test
  void remindersAndDefaultsGoExactlyToTheUnratedCasesOnce() throws Exception {
    GatewayCore core = bean("gatewayCore", GatewayCore.class);
    TimerStore timers = bean("timerStore", TimerStore.class);
    TimerPoller poller = bean("lifecyclePoller", TimerPoller.class);

    pushCompletedCases();
    // Every completion started a reminder and a default.
    await().atMost(Duration.ofSeconds(60)).until(() -> timers.count(TimerKind.REMINDER, TimerStore.State.PENDING) == CASES
        && timers.count(TimerKind.DEFAULT_RATING, TimerStore.State.PENDING) == CASES);

    rate(ITEM_EARLY.or(STAFF_ONLY));
    await().atMost(Duration.ofSeconds(60)).until(() -> timers.count(TimerKind.REMINDER, TimerStore.State.CANCELLED) == 300
        && timers.count(TimerKind.DEFAULT_RATING, TimerStore.State.CANCELLED) == 300);

    try (LifecycleEventObserver events = LifecycleEventObserver.open(core, "test.run");
        SecondPoller second = new SecondPoller(poller)) {
      // 24 hours and a minute later.
      clock.advance(Duration.ofHours(24).plusMinutes(1));
      Set<String> expectReminder = cases(i -> !ITEM_EARLY.test(i));
      await().atMost(Duration.ofSeconds(120)).until(() -> events.ofType("REMINDER_DUE").size() >= expectReminder.size()
          && timers.count(TimerKind.REMINDER, TimerStore.State.PENDING) == 0);
      assertThat(onePerCase(events.ofType("REMINDER_DUE"))).isEqualTo(expectReminder);
      assertThat(expectReminder).hasSize(700);
      assertThat(events.ofType("DEFAULT_RATED")).isEmpty();

      rate(ITEM_LATE);
      await().atMost(Duration.ofSeconds(60)).until(() -> timers.count(TimerKind.DEFAULT_RATING, TimerStore.State.CANCELLED) == 500);

      // 8 days after the completions every 7-day period (Nov 25 .. Dec 1 for a case completed Nov 24) is over.
      clock.advance(Duration.ofDays(7));
      Set<String> expectDefault = cases(i -> !ITEM_EARLY.test(i) && !ITEM_LATE.test(i));
      await().atMost(Duration.ofSeconds(180)).until(() -> events.ofType("DEFAULT_RATED").size() >= expectDefault.size()
          && timers.count(TimerKind.DEFAULT_RATING, TimerStore.State.PENDING) == 0);
      assertThat(expectDefault).hasSize(500);
      assertThat(onePerCase(events.ofType("DEFAULT_RATED"))).isEqualTo(expectDefault);
      await().atMost(Duration.ofSeconds(60)).until(() -> defaultRatingsInLedger().size() == expectDefault.size());
      assertThat(defaultRatingsInLedger()).isEqualTo(expectDefault);

      // Weeks later nothing more fires: no reminder or default is ever sent twice.
      clock.advance(Duration.ofDays(20));
      poller.poll();
      assertThat(second.failures()).isEmpty();
      assertThat(second.polls()).isPositive();
      assertThat(timers.count(TimerKind.REMINDER, TimerStore.State.FIRED)).isEqualTo(700);
      assertThat(timers.count(TimerKind.DEFAULT_RATING, TimerStore.State.FIRED)).isEqualTo(500);
      assertThat(outboxCount("REMINDER_DUE")).isEqualTo(700);
      assertThat(outboxCount("DEFAULT_RATED")).isEqualTo(500);
      assertThat(onePerCase(events.ofType("REMINDER_DUE"))).hasSize(700);
      assertThat(events.ofType("REMINDER_DUE")).hasSize(700);
      assertThat(events.ofType("DEFAULT_RATED")).hasSize(500);
      JsonNode reminder = events.ofType("REMINDER_DUE").get(0);
      assertThat(reminder.path("data").path("ratingWindowEndsAt").asText()).isNotEmpty();
      assertThat(reminder.toString()).doesNotContain(Fixtures.MOBILE).doesNotContain(Fixtures.ID_NO);
    }
    // The bad ratings among them became work orders (000 第二十三条), one each.
    assertThat(count("select count(*) from work_orders")).isEqualTo(100);
  }

  private void pushCompletedCases() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<Api.Response>> pushes = new ArrayList<>();
      for (int i = 0; i < CASES; i++) {
        String no = caseNo(i);
        pushes.add(pool.submit(() -> api.post("/api/v1/cases", Fixtures.completedCase(no))));
      }
      for (Future<Api.Response> f : pushes) {
        Api.Response r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void rate(IntPredicate which) {
    List<Object> batch = new ArrayList<>();
    IntStream.range(0, CASES).filter(which).forEach(i -> {
      Map<String, Object> r = Fixtures.rating(caseNo(i), i % 10 == 2 ? "DISSATISFIED" : i % 3 == 0 ? "VERY_SATISFIED" : "SATISFIED");
      if (i % 10 == 2) {
        r.put("tags", List.of("513"));
      }
      if (STAFF_ONLY.test(i)) {
        r.put("target", Map.of("type", "STAFF"));
        r.put("visitId", "V1");
      }
      batch.add(r);
    });
    Api.Response response = api.post("/api/v1/ratings/batch", batch);
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().get("accepted").asInt()).as(response.toString()).isEqualTo(batch.size());
  }

  private static Set<String> cases(IntPredicate which) {
    return IntStream.range(0, CASES).filter(which).mapToObj(ReminderAndDefaultRunTest::caseNo).collect(Collectors.toCollection(TreeSet::new));
  }

  /** The cases of the events, checking that none appears twice. */
  private static Set<String> onePerCase(List<JsonNode> events) {
    Map<String, Integer> perCase = new HashMap<>();
    events.forEach(e -> perCase.merge(e.path("caseNo").asText(), 1, Integer::sum));
    assertThat(perCase.values()).as("events per case").allSatisfy(n -> assertThat(n).isEqualTo(1));
    return new TreeSet<>(perCase.keySet());
  }

  private Set<String> defaultRatingsInLedger() throws Exception {
    Set<String> out = new TreeSet<>();
    try (Connection c = bean("database", Database.class).connection();
        PreparedStatement ps = c.prepareStatement("select case_no, level, score, defaulted from ratings where channel = 'SYSTEM_DEFAULT'");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        assertThat(out.add(rs.getString(1))).as("one default for " + rs.getString(1)).isTrue();
        assertThat(rs.getString(2)).isEqualTo("VERY_SATISFIED");
        assertThat(rs.getInt(3)).isEqualTo(10);
        assertThat(rs.getBoolean(4)).isTrue();
      }
    }
    return out;
  }

  private long outboxCount(String type) throws Exception {
    return count("select count(*) from lifecycle_outbox where type = '" + type + "'");
  }

  /** Another poller on the same database, polling as fast as it can beside the gateway's own route. */
  private static final class SecondPoller implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger polls = new java.util.concurrent.atomic.AtomicInteger();
    private final Thread thread;

    SecondPoller(TimerPoller poller) {
      thread = new Thread(() -> {
        while (running.get()) {
          try {
            poller.poll();
            polls.incrementAndGet();
          } catch (RuntimeException e) {
            failures.add(e);
          }
        }
      }, "second-poller");
      thread.start();
    }

    List<Throwable> failures() {
      return failures;
    }

    int polls() {
      return polls.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(30_000);
    }
  }
}
