import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.stats.HallRegistry;
import org.haochaping.gateway.stats.StatsBackfill;
import org.haochaping.gateway.stats.StatsRecorder;
import org.haochaping.gateway.store.Database;

/**
 * Loads a synthetic year of a prefecture-level city into the gateway's database — cases and ratings
 * straight into the ledger tables ({@code cases}, {@code ratings}, {@code work_orders}), halls into the
 * registry — and then counts them with the gateway's own StatsBackfill, i.e. through StatsRecorder.record,
 * the code the {@code ratings::stats} consumer runs (per-rating markers, case re-counts, counters).
 *
 * <pre>
 * java -Xmx2g -cp target/haochaping-gateway.jar bench/stats/LoadRatings.java DATA_DIR [RATINGS] [DB_URL DB_USER DB_PASSWORD]
 * </pre>
 * DATA_DIR is the gateway's data directory (its H2 file database unless DB_URL names a PostgreSQL); the
 * gateway must not be running on it. RATINGS defaults to 1,000,000.
 *
 * <p>The city (seeded, the same on every run): area 440800000000 with 6 counties of 12 towns each; 6 x 30
 * county agencies and one service centre per town (252 agencies); 2,000 items, 1,500 window staff, 40
 * business lines, 90 halls (3 per county, 1 per town). Cases are spread over 2026 (0.7 per rating); every
 * case gets an item rating, window cases often a staff rating too; 15 % of item ratings are the default,
 * 4 % are bad (a work order each, half of them rectified, 1 in 10 corrected).
 */
public class LoadRatings {

  static final String[] COUNTIES = {"440802", "440803", "440804", "440811", "440881", "440882"};
  static final String[] CHANNELS = {"PORTAL", "APP", "MINI_PROGRAM", "DEPT_SYSTEM", "EVALUATOR", "QR_STATIC", "QR_DYNAMIC",
      "SELF_SERVICE_TERMINAL", "SMS", "HOTLINE_12345"};
  static final int[] CHANNEL_WEIGHTS = {18, 12, 8, 5, 25, 8, 6, 6, 8, 4};
  static final String[] LEVELS = {"VERY_SATISFIED", "SATISFIED", "BASIC", "DISSATISFIED", "VERY_DISSATISFIED"};
  static final int[] SCORES = {10, 8, 6, 3, 0};

  public static void main(String[] a) throws Exception {
    Path dataDir = Path.of(a[0]);
    int ratings = a.length > 1 ? Integer.parseInt(a[1]) : 1_000_000;
    String url = a.length > 2 ? a[2] : "";
    String user = a.length > 3 ? a[3] : "";
    String password = a.length > 4 ? a[4] : "";
    long t0 = System.nanoTime();
    try (Database db = Database.open(url, user, password, dataDir, 4)) {
      Clock clock = Clock.system(ChinaTime.ZONE);
      SplittableRandom rnd = new SplittableRandom(20261124);

      // Agencies: 30 per county at county level, one service centre per town.
      List<String[]> agencies = new ArrayList<>(); // code, area
      for (String county : COUNTIES) {
        for (int i = 0; i < 30; i++) {
          agencies.add(new String[] {"D" + county + String.format("%02d", i), county + "000000"});
        }
        for (int t = 1; t <= 12; t++) {
          agencies.add(new String[] {"T" + county + String.format("%03d", t), county + String.format("%03d", t) + "000"});
        }
      }
      HallRegistry halls = new HallRegistry(db, clock);
      List<String> hallCodes = new ArrayList<>();
      for (String county : COUNTIES) {
        for (int h = 0; h < 3; h++) {
          String code = "H" + county + "-" + h;
          halls.put(code, county + " 政务服务大厅 " + h, county + "000000", h == 0 ? null : "D" + county + String.format("%02d", h), true);
          hallCodes.add(code);
        }
        for (int t = 1; t <= 12; t++) {
          String code = "H" + county + "-T" + t;
          halls.put(code, county + " 镇便民服务中心 " + t, county + String.format("%03d", t) + "000", null, true);
          hallCodes.add(code);
        }
      }

      int caseCount = (int) (ratings * 0.7);
      int written = 0;
      int caseNo = 0;
      int workOrders = 0;
      LocalDate jan1 = LocalDate.of(2026, 1, 1);
      try (Connection c = db.connection()) {
        c.setAutoCommit(false);
        PreparedStatement cases = c.prepareStatement("insert into cases (case_no, task_code, item_name, dept_code, dept_name, area_code, "
            + "hall_code, window_no, staff_id, staff_name, business_line, mode, status, accepted_at, completed_at, created_at, updated_at) "
            + "values (?,?,?,?,?,?,?,?,?,?,?,?,'COMPLETED',?,?,?,?)");
        PreparedStatement rs = c.prepareStatement("insert into ratings (rating_id, natural_key, case_no, assess_number, stage, channel, "
            + "level, score, tags, target_type, task_code, item_name, dept_code, staff_id, hall_code, area_code, business_line, rated_at, "
            + "received_at, defaulted, status, recorded_at, corrected) values (?,?,?,1,'OVERALL',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,'ACCEPTED',?,?)");
        PreparedStatement wo = c.prepareStatement("insert into work_orders (id, rating_id, case_no, level, channel, task_code, dept_code, "
            + "staff_id, hall_code, area_code, business_line, state, resolution, created_at, updated_at, rectified_at, version) "
            + "values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)");
        while (written < ratings) {
          String no = "B" + (caseNo++);
          String[] agency = agencies.get(rnd.nextInt(agencies.size()));
          boolean window = rnd.nextInt(100) < 60;
          int itemNo = Math.floorMod((agency[0].hashCode() * 31 + rnd.nextInt(8)), 2000);
          String task = "TASK" + itemNo;
          String staff = window ? "S" + Math.floorMod(agency[0].hashCode() * 7 + rnd.nextInt(6), 1500) : null;
          String hall = window ? hallCodes.get(Math.floorMod(agency[1].hashCode() + rnd.nextInt(3), hallCodes.size())) : null;
          String line = "BL" + (itemNo % 40);
          OffsetDateTime accepted = jan1.plusDays(rnd.nextInt(365)).atTime(8 + rnd.nextInt(9), rnd.nextInt(60)).atOffset(ZoneOffset.ofHours(8));
          OffsetDateTime completed = accepted.plusHours(1 + rnd.nextInt(48));
          int i = 1;
          cases.setString(i++, no);
          cases.setString(i++, task);
          cases.setString(i++, "事项" + itemNo);
          cases.setString(i++, agency[0]);
          cases.setString(i++, "机构" + agency[0]);
          cases.setString(i++, agency[1]);
          cases.setString(i++, hall);
          cases.setString(i++, window ? "1" : null);
          cases.setString(i++, staff);
          cases.setString(i++, staff == null ? null : "工作人员" + staff);
          cases.setString(i++, line);
          cases.setString(i++, window ? "WINDOW" : "ONLINE");
          cases.setObject(i++, accepted);
          cases.setObject(i++, completed);
          cases.setObject(i++, completed);
          cases.setObject(i, completed);
          cases.addBatch();

          int perCase = window && rnd.nextInt(100) < 43 ? 2 : 1;
          for (int k = 0; k < perCase && written < ratings; k++) {
            boolean item = k == 0;
            boolean defaulted = item && rnd.nextInt(100) < 15;
            String channel = defaulted ? "SYSTEM_DEFAULT" : pick(rnd, window);
            int level = defaulted ? 0 : levelOf(rnd);
            String id = String.format("bench-%09d", written);
            OffsetDateTime ratedAt = defaulted ? completed.plusDays(8).toLocalDate().atStartOfDay().atOffset(ZoneOffset.ofHours(8))
                : completed.plusMinutes(10 + rnd.nextInt(3000));
            boolean corrected = level >= 3 && rnd.nextInt(10) == 0;
            i = 1;
            rs.setString(i++, id);
            rs.setString(i++, id);
            rs.setString(i++, no);
            rs.setString(i++, channel);
            rs.setString(i++, LEVELS[level]);
            rs.setInt(i++, SCORES[level]);
            rs.setString(i++, level >= 3 ? "51" + (3 + rnd.nextInt(7)) : null);
            rs.setString(i++, item ? (window ? "ITEM_AND_STAFF" : "ITEM") : "STAFF");
            rs.setString(i++, task);
            rs.setString(i++, "事项" + itemNo);
            rs.setString(i++, agency[0]);
            rs.setString(i++, staff);
            rs.setString(i++, hall);
            rs.setString(i++, agency[1]);
            rs.setString(i++, line);
            rs.setObject(i++, ratedAt);
            rs.setObject(i++, ratedAt);
            rs.setBoolean(i++, defaulted);
            rs.setObject(i++, ratedAt);
            rs.setBoolean(i, corrected);
            rs.addBatch();
            if (level >= 3) {
              boolean rectified = rnd.nextBoolean();
              i = 1;
              wo.setString(i++, "wo-" + id);
              wo.setString(i++, id);
              wo.setString(i++, no);
              wo.setString(i++, LEVELS[level]);
              wo.setString(i++, channel);
              wo.setString(i++, task);
              wo.setString(i++, agency[0]);
              wo.setString(i++, staff);
              wo.setString(i++, hall);
              wo.setString(i++, agency[1]);
              wo.setString(i++, line);
              wo.setString(i++, corrected ? "CLOSED" : rectified ? "RECTIFIED" : "PENDING_VERIFICATION");
              wo.setString(i++, corrected ? "CORRECTED" : null);
              wo.setObject(i++, ratedAt);
              wo.setObject(i++, ratedAt);
              wo.setObject(i, rectified && !corrected ? ratedAt.plusDays(3) : null);
              wo.addBatch();
              workOrders++;
            }
            written++;
          }
          if (caseNo % 5_000 == 0) {
            cases.executeBatch();
            rs.executeBatch();
            wo.executeBatch();
            c.commit();
            if (caseNo % 100_000 == 0) {
              System.out.printf("ledger: %,d cases, %,d ratings (%.0f s)%n", caseNo, written, (System.nanoTime() - t0) / 1e9);
            }
          }
        }
        cases.executeBatch();
        rs.executeBatch();
        wo.executeBatch();
        c.commit();
      }
      double ledgerSeconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("ledger loaded: %,d cases, %,d ratings, %,d work orders in %.0f s%n", caseNo, written, workOrders, ledgerSeconds);

      long t1 = System.nanoTime();
      StatsRecorder recorder = new StatsRecorder(db, null, PolicyProfile.load("guangdong").statistics(), clock, new SimpleMeterRegistry(), 1);
      StatsBackfill.Status done = new StatsBackfill(recorder, clock, 2000).run();
      recorder.close();
      double seconds = (System.nanoTime() - t1) / 1e9;
      System.out.printf("counted through StatsRecorder: %s%n", done);
      System.out.printf("statistics backfill: %.0f s (%,.0f ratings/s, cases and work orders included)%n", seconds, done.ratings() / seconds);
      try (Connection c = db.connection(); var st = c.createStatement()) {
        for (String table : List.of("stats_ratings", "stats_cases", "stats_work_orders", "stats_rating_agg", "stats_tag_agg", "stats_counts")) {
          try (var r = st.executeQuery("select count(*) from " + table)) {
            r.next();
            System.out.printf("  %-18s %,12d rows%n", table, r.getLong(1));
          }
        }
      }
    }
  }

  static String pick(SplittableRandom rnd, boolean window) {
    int total = 0;
    for (int w : CHANNEL_WEIGHTS) {
      total += w;
    }
    int x = rnd.nextInt(total);
    for (int i = 0; i < CHANNELS.length; i++) {
      x -= CHANNEL_WEIGHTS[i];
      if (x < 0) {
        return !window && (i >= 4 && i <= 7) ? "PORTAL" : CHANNELS[i];
      }
    }
    return "PORTAL";
  }

  static int levelOf(SplittableRandom rnd) {
    int x = rnd.nextInt(100);
    return x < 70 ? 0 : x < 88 ? 1 : x < 96 ? 2 : x < 98 ? 3 : 4;
  }
}
