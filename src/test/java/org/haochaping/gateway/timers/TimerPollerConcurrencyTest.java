package org.haochaping.gateway.timers;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two timer pollers on one database (PostgreSQL with -Dhcp.test.db.url, else H2), as two gateway nodes
 * would run them: every due timer is fired exactly once. On PostgreSQL the first batch of each poller
 * waits inside its transaction until the other poller is inside its own, so both hold row locks at
 * once: the second can only get there by skipping the rows the first has locked (FOR UPDATE SKIP
 * LOCKED). H2 (one node only) is checked for exactly-once with both pollers running.
 */
@Tag("db")
class TimerPollerConcurrencyTest {

  private static final int TIMERS = 2_000;
  private static final OffsetDateTime NOW = OffsetDateTime.parse("2026-11-24T10:00:00+08:00");

  private TestDatabase testDb;
  private Database db;
  private final Clock clock = Clock.fixed(NOW.toInstant(), ChinaTime.ZONE);

  @BeforeEach
  void open() throws Exception {
    testDb = TestDatabase.create();
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "pollers-");
    db = Database.open(testDb.url(), testDb.user(), testDb.password(), dir, 8);
  }

  @AfterEach
  void close() {
    db.close();
    testDb.close();
  }

  @Test
  void twoPollersOnOneDatabaseFireEveryTimerExactlyOnce() throws Exception {
    TimerStore store = new TimerStore(db, clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      for (int i = 0; i < TIMERS; i++) {
        TimerKind kind = i % 2 == 0 ? TimerKind.REMINDER : TimerKind.DEFAULT_RATING;
        store.schedule(c, new TimerStore.Timer(kind, "CASE-" + i, "CASE-" + i, NOW.minusMinutes(i % 97), null));
      }
      // Not yet due: must not fire.
      store.schedule(c, new TimerStore.Timer(TimerKind.REMINDER, "LATER", "LATER", NOW.plusSeconds(1), null));
      c.commit();
    }

    Map<String, AtomicInteger> fired = new ConcurrentHashMap<>();
    CyclicBarrier bothInside = new CyclicBarrier(2);
    List<TimerPoller> pollers = new ArrayList<>();
    int[] firedBy = new int[2];
    for (int p = 0; p < 2; p++) {
      int me = p;
      AtomicInteger batches = new AtomicInteger();
      LifecycleOutbox outbox = new LifecycleOutbox(db, null, clock, java.time.Duration.ofSeconds(5), new SimpleMeterRegistry());
      TimerPoller.Handler handler = (c, due) -> {
        if (batches.getAndIncrement() == 0 && db.dialect() == Database.Dialect.POSTGRESQL) {
          // Hold this batch's row locks until the other poller holds its own.
          bothInside.await(30, TimeUnit.SECONDS);
        }
        List<TimerPoller.Fired> out = new ArrayList<>();
        for (TimerStore.Timer t : due) {
          fired.computeIfAbsent(t.kind() + "/" + t.subject(), k -> new AtomicInteger()).incrementAndGet();
          // Real work in the same transaction, as the real handlers do.
          outbox.add(c, outbox.event("TEST_FIRED", t.kind() + ":" + t.subject(), t.caseNo(), Map.of("poller", me)));
          synchronized (firedBy) {
            firedBy[me]++;
          }
          out.add(TimerPoller.Fired.fired("poller " + me));
        }
        return out;
      };
      pollers.add(new TimerPoller(store, null, clock, 25, new SimpleMeterRegistry())
          .handle(TimerKind.REMINDER, handler).handle(TimerKind.DEFAULT_RATING, handler));
    }

    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> runs = new ArrayList<>();
      for (TimerPoller poller : pollers) {
        runs.add(pool.submit(() -> {
          int ended = 0;
          int n;
          while ((n = poller.poll()) > 0) {
            ended += n;
          }
          return ended;
        }));
      }
      int total = 0;
      for (Future<Integer> run : runs) {
        total += run.get(120, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(TIMERS);
    } finally {
      pool.shutdownNow();
    }

    assertThat(fired).hasSize(TIMERS);
    assertThat(fired.values()).allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
    if (db.dialect() == Database.Dialect.POSTGRESQL) {
      // Both worked at once (the barrier above); on H2, which locks every row the statement reads
      // before LIMIT applies, the second poller finds nothing while the first holds its batch.
      assertThat(firedBy[0]).isPositive();
      assertThat(firedBy[1]).isPositive();
    }
    assertThat(store.count(TimerKind.REMINDER, TimerStore.State.FIRED) + store.count(TimerKind.DEFAULT_RATING, TimerStore.State.FIRED))
        .isEqualTo(TIMERS);
    assertThat(store.stateOf(TimerKind.REMINDER, "LATER")).isEqualTo(TimerStore.State.PENDING);
    try (Connection c = db.connection(); var rs = c.createStatement().executeQuery("select count(*) from lifecycle_outbox")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(TIMERS);
    }
    System.out.printf("%s: poller 0 fired %d, poller 1 fired %d%n", db.dialect(), firedBy[0], firedBy[1]);
  }
}
