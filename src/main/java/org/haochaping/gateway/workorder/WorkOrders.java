package org.haochaping.gateway.workorder;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.haochaping.gateway.channel.Problem;
import org.haochaping.gateway.channel.RatingIds;
import org.haochaping.gateway.model.AppealReason;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.model.Person;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.model.WorkOrderState;
import org.haochaping.gateway.policy.AppealPolicy;
import org.haochaping.gateway.policy.Deadlines;
import org.haochaping.gateway.policy.TimerKind;
import org.haochaping.gateway.policy.Violation;
import org.haochaping.gateway.policy.WorkOrderPolicy;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.StoreException;
import org.haochaping.gateway.timers.LifecycleOutbox;
import org.haochaping.gateway.timers.TimerPoller;
import org.haochaping.gateway.timers.TimerStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 差评工单: created from every bad rating a person gave, moved through its states by people over REST
 * (with actor and notes), watched by deadline timers, appealed by staff. Every change is one
 * transaction with its history row, its timers and its lifecycle events (outbox).
 */
public final class WorkOrders {

  private static final Logger LOG = LoggerFactory.getLogger(WorkOrders.class);

  /** Filters of the list. */
  public record Filter(WorkOrderState state, String deptCode, String caseNo, String staffId, Boolean overdue, int limit, int offset) {}

  /** A page of the list. */
  public record Page(long total, int limit, int offset, List<WorkOrder> items) {}

  private final Database db;
  private final PersonalDataCipher cipher;
  private final TimerStore timers;
  private final LifecycleOutbox outbox;
  private final WorkOrderPolicy policy;
  private final AppealPolicy appeals;
  private final RatingCorrections corrections;
  private final Clock clock;
  private final MeterRegistry meters;

  public WorkOrders(Database db, PersonalDataCipher cipher, TimerStore timers, LifecycleOutbox outbox, WorkOrderPolicy policy,
      AppealPolicy appeals, RatingCorrections corrections, Clock clock, MeterRegistry meters) {
    this.db = db;
    this.cipher = cipher;
    this.timers = timers;
    this.outbox = outbox;
    this.policy = policy;
    this.appeals = appeals;
    this.corrections = corrections;
    this.clock = clock;
    this.meters = meters;
    Gauge.builder("hcp.workorders.overdue.open", this, WorkOrders::openOverdue)
        .description("Work orders past a deadline and not closed")
        .register(meters);
    Gauge.builder("hcp.workorders.open", this, WorkOrders::open)
        .description("Work orders not closed (办结)")
        .register(meters);
  }

  // --- creation ------------------------------------------------------------------------------

  /**
   * 000 第二十三条: 评价人做出"不满意"或"非常不满意"评价后，"好差评"系统自动生成差评工单. One per rating:
   * a redelivered rating creates nothing. Returns the work order's id.
   */
  public String create(Rating r) {
    OffsetDateTime now = now();
    String id = RatingIds.next(clock);
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        int inserted;
        try (PreparedStatement ps = c.prepareStatement("insert into work_orders (id, rating_id, case_no, level, tags, comment_text, "
            + "channel, task_code, item_name, dept_code, staff_id, hall_code, window_no, area_code, business_line, evaluator_sealed, "
            + "state, created_at, updated_at, appeal_file_due_at, version) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) "
            + "on conflict do nothing")) {
          int i = 1;
          ps.setString(i++, id);
          ps.setString(i++, r.ratingId());
          ps.setString(i++, r.caseNo());
          ps.setString(i++, r.level().name());
          ps.setString(i++, r.tags().isEmpty() ? null : String.join(",", r.tags()));
          ps.setString(i++, r.comment());
          ps.setString(i++, r.channel().name());
          ps.setString(i++, r.target().taskCode());
          ps.setString(i++, r.target().itemName());
          ps.setString(i++, r.target().deptCode());
          ps.setString(i++, r.target().staffId());
          ps.setString(i++, r.target().hallCode());
          ps.setString(i++, r.target().windowNo());
          ps.setString(i++, r.target().areaCode());
          ps.setString(i++, r.target().businessLine());
          ps.setString(i++, cipher.seal(r.evaluator()));
          ps.setString(i++, WorkOrderState.PENDING_VERIFICATION.name());
          ps.setObject(i++, now);
          ps.setObject(i++, now);
          ps.setObject(i++, appeals.fileDeadline(now));
          ps.setInt(i, 0);
          inserted = ps.executeUpdate();
        }
        if (inserted == 0) {
          c.rollback();
          return idOfRating(r.ratingId()).orElseThrow();
        }
        step(c, id, "CREATED", null, WorkOrderState.PENDING_VERIFICATION, "system", "由" + r.level().label() + "评价自动生成");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("workOrderId", id);
        data.put("ratingId", r.ratingId());
        data.put("level", r.level());
        data.put("deptCode", r.target().deptCode());
        data.put("staffId", r.target().staffId());
        data.put("appealDueAt", appeals.fileDeadline(now));
        outbox.add(c, outbox.event("WORK_ORDER_CREATED", id, r.caseNo(), data));
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("cannot create the work order of rating " + r.ratingId(), e);
    }
    meters.counter("hcp.workorders.created", "level", r.level().name()).increment();
    LOG.info("Work order {} created for {} rating {} of case {}", id, r.level(), r.ratingId(), r.caseNo());
    return id;
  }

  // --- transitions ---------------------------------------------------------------------------

  /** Moves the work order to {@code toText} (code or Chinese label) on behalf of {@code actor}. */
  public WorkOrder transition(String id, String toText, String actor, String notes, String result) {
    List<Violation> bad = new ArrayList<>();
    WorkOrderState to = WorkOrderState.parse(toText);
    if (to == null) {
      bad.add(Violation.invalid("to", "enum", "to 必须是以下之一：" + states(), "to must be one of " + Arrays.toString(WorkOrderState.values())));
    }
    requireActor(actor, bad);
    if (to != null) {
      bad.addAll(policy.checkFields(to, result, notes));
    }
    if (!bad.isEmpty()) {
      throw Refused.of(bad);
    }
    return inTransaction(id, (c, wo) -> {
      Violation refused = policy.checkTransition(wo.state(), to);
      if (refused != null) {
        throw new Refused(Problem.of(409, "INVALID_TRANSITION", "工单状态不允许该转换", "The work order's state does not allow this transition",
            List.of(refused)).with("from", wo.state().name()).with("to", to.name())
            .with("allowed", policy.next(wo.state()).stream().map(Enum::name).toList()));
      }
      OffsetDateTime now = now();
      Map<String, Object> set = new LinkedHashMap<>();
      switch (to) {
        case VERIFIED -> {
          // 000 第二十三条: 10 个工作日 from receiving the verified order; 002 第十四条: 15 个自然日 from 查实.
          OffsetDateTime due = policy.rectifyDue(now);
          set.put("verified_at", now);
          set.put("rectify_due_at", due);
          timers.schedule(c, new TimerStore.Timer(TimerKind.WORK_ORDER_RECTIFY, id, wo.caseNo(), due, null));
        }
        case MALICIOUS -> {
          set.put("verified_at", now);
          if (policy.maliciousCorrectsRating()) {
            // 000 第二十五条: 经核实为 ... 恶意评价的差评结果 ... 进行修正.
            corrections.correct(c, wo.ratingId(), wo.caseNo(), AppealReason.MALICIOUS, notes, actor, id);
          }
        }
        case UNFOUNDED -> set.put("verified_at", now);
        case RECTIFIED -> {
          set.put("rectified_at", now);
          set.put("rectification", result.strip());
          timers.cancel(c, TimerKind.WORK_ORDER_RECTIFY, id, "rectified");
          OffsetDateTime reportDue = policy.reportDue(now);
          if (reportDue != null) {
            // 000 第二十三条: 市行政服务中心须在5个工作日内将核实的整改结果 ... 报 ... 审核办结.
            set.put("report_due_at", reportDue);
            timers.schedule(c, new TimerStore.Timer(TimerKind.WORK_ORDER_REPORT, id, wo.caseNo(), reportDue, null));
          }
        }
        case REVISITED -> set.put("revisited_at", now);
        case CLOSED -> {
          set.put("closed_at", now);
          set.put("resolution", wo.state() == WorkOrderState.UNFOUNDED || wo.state() == WorkOrderState.MALICIOUS
              ? wo.state().name() : WorkOrderState.RECTIFIED.name());
          timers.cancel(c, TimerKind.WORK_ORDER_REPORT, id, "closed");
        }
        default -> { }
      }
      set.put("state", to.name());
      update(c, id, set);
      int seq = step(c, id, "TRANSITION", wo.state(), to, actor, to == WorkOrderState.RECTIFIED ? result : notes);
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("workOrderId", id);
      data.put("ratingId", wo.ratingId());
      data.put("from", wo.state());
      data.put("to", to);
      data.put("actor", actor);
      outbox.add(c, outbox.event("WORK_ORDER_TRANSITIONED", id + ":" + seq, wo.caseNo(), data));
      if (to == WorkOrderState.RECTIFIED) {
        // 000 第二十三条 / 002 第十四条: 整改结果反馈给评价人 — the SMS module sends it.
        Map<String, Object> feedback = new LinkedHashMap<>();
        feedback.put("workOrderId", id);
        feedback.put("ratingId", wo.ratingId());
        feedback.put("kind", "RECTIFIED");
        feedback.put("result", result.strip());
        feedback.put("rectifiedAt", now);
        outbox.add(c, outbox.event("WORK_ORDER_FEEDBACK", id + ":" + seq, wo.caseNo(), feedback));
      }
    });
  }

  /** 002 第十四条: 若在期限内无法整改，应说明理由和整改期限 ... 向评价人反馈. */
  public WorkOrder explain(String id, String actor, String reason, String rectifyBy) {
    List<Violation> bad = new ArrayList<>();
    requireActor(actor, bad);
    LocalDate newDay = null;
    if (rectifyBy != null && !rectifyBy.isBlank()) {
      try {
        newDay = LocalDate.parse(rectifyBy.strip());
      } catch (DateTimeParseException e) {
        bad.add(Violation.invalid("rectifyBy", "format", "rectifyBy 应为日期，如 2026-12-31", "rectifyBy must be a date such as 2026-12-31"));
      }
    }
    if (!bad.isEmpty()) {
      throw Refused.of(bad);
    }
    LocalDate day = newDay;
    return inTransaction(id, (c, wo) -> {
      OffsetDateTime now = now();
      List<Violation> refused = policy.checkExplanation(wo.state(), now, wo.rectifyDueAt(), day, reason);
      if (!refused.isEmpty()) {
        throw Refused.of(refused);
      }
      OffsetDateTime due = Deadlines.endOfDay(day);
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("explanation", reason.strip());
      set.put("rectify_due_at", due);
      update(c, id, set);
      timers.reschedule(c, TimerKind.WORK_ORDER_RECTIFY, id, due);
      int seq = step(c, id, "EXPLAINED", wo.state(), wo.state(), actor, reason.strip() + "（整改期限延至 " + day + "）");
      Map<String, Object> feedback = new LinkedHashMap<>();
      feedback.put("workOrderId", id);
      feedback.put("ratingId", wo.ratingId());
      feedback.put("kind", "EXPLANATION");
      feedback.put("reason", reason.strip());
      feedback.put("rectifyBy", day.toString());
      outbox.add(c, outbox.event("WORK_ORDER_FEEDBACK", id + ":" + seq, wo.caseNo(), feedback));
    });
  }

  // --- appeals -------------------------------------------------------------------------------

  /** 000 第二十五条: the staff member appeals within 5 working days; 002 第十三条: system-caused. */
  public WorkOrder appeal(String id, String actor, String reasonText, String notes) {
    List<Violation> bad = new ArrayList<>();
    requireActor(actor, bad);
    if (!bad.isEmpty()) {
      throw Refused.of(bad);
    }
    return inTransaction(id, (c, wo) -> {
      OffsetDateTime now = now();
      List<Violation> refused = appeals.checkFiling(reasonText, wo.createdAt(), wo.appeal().state() != null,
          wo.state() == WorkOrderState.CLOSED, now);
      if (!refused.isEmpty()) {
        throw Refused.of(refused);
      }
      AppealReason reason = AppealReason.parse(reasonText);
      OffsetDateTime verifyDue = appeals.verifyDeadline(now);
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("appeal_state", "FILED");
      set.put("appeal_reason", reason.name());
      set.put("appeal_actor", actor);
      set.put("appeal_notes", notes);
      set.put("appeal_filed_at", now);
      set.put("appeal_verify_due_at", verifyDue);
      update(c, id, set);
      if (verifyDue != null) {
        // 000 第二十五条: 收到申诉申辩后 5 个工作日内对其进行认真核实.
        timers.schedule(c, new TimerStore.Timer(TimerKind.APPEAL_VERIFY, id, wo.caseNo(), verifyDue, null));
      }
      step(c, id, "APPEAL_FILED", wo.state(), wo.state(), actor, reason.label() + (notes == null ? "" : "：" + notes));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("workOrderId", id);
      data.put("ratingId", wo.ratingId());
      data.put("reason", reason);
      data.put("verifyDueAt", verifyDue);
      outbox.add(c, outbox.event("APPEAL_FILED", id, wo.caseNo(), data));
    });
  }

  /** The verification of an appeal: upheld corrects the rating and closes the work order. */
  public WorkOrder decideAppeal(String id, String actor, Boolean upheld, String notes) {
    List<Violation> bad = new ArrayList<>();
    requireActor(actor, bad);
    if (upheld == null) {
      bad.add(Violation.invalid("upheld", "required", "须给出核实结论 upheld（true 申诉成立 / false 不成立）",
          "upheld (true: the appeal stands, false: it does not) is required"));
    }
    if (!bad.isEmpty()) {
      throw Refused.of(bad);
    }
    return inTransaction(id, (c, wo) -> {
      if (!"FILED".equals(wo.appeal().state())) {
        throw Refused.of(List.of(Violation.notAllowed("", "noAppealPending",
            wo.appeal().state() == null ? "该工单没有申诉" : "该申诉已核实（" + wo.appeal().state() + "）",
            wo.appeal().state() == null ? "the work order has no appeal" : "the appeal was already decided: " + wo.appeal().state())));
      }
      OffsetDateTime now = now();
      timers.cancel(c, TimerKind.APPEAL_VERIFY, id, "decided by " + actor);
      Map<String, Object> set = new LinkedHashMap<>();
      set.put("appeal_state", upheld ? "UPHELD" : "REJECTED");
      set.put("appeal_decided_at", now);
      set.put("appeal_decided_by", actor);
      set.put("appeal_decision_notes", notes);
      WorkOrderState to = wo.state();
      if (upheld) {
        AppealReason reason = AppealReason.valueOf(wo.appeal().reason());
        corrections.correct(c, wo.ratingId(), wo.caseNo(), reason, notes, actor, id);
        // The bad rating no longer stands: nothing is left to rectify.
        to = WorkOrderState.CLOSED;
        set.put("state", to.name());
        set.put("closed_at", now);
        set.put("resolution", "CORRECTED");
        timers.cancel(c, TimerKind.WORK_ORDER_RECTIFY, id, "appeal upheld");
        timers.cancel(c, TimerKind.WORK_ORDER_REPORT, id, "appeal upheld");
      }
      update(c, id, set);
      int seq = step(c, id, "APPEAL_DECIDED", wo.state(), to, actor, (upheld ? "申诉成立" : "申诉不成立") + (notes == null ? "" : "：" + notes));
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("workOrderId", id);
      data.put("ratingId", wo.ratingId());
      data.put("upheld", upheld);
      data.put("reason", wo.appeal().reason());
      outbox.add(c, outbox.event("APPEAL_DECIDED", id, wo.caseNo(), data));
      if (to != wo.state()) {
        Map<String, Object> moved = new LinkedHashMap<>();
        moved.put("workOrderId", id);
        moved.put("ratingId", wo.ratingId());
        moved.put("from", wo.state());
        moved.put("to", to);
        moved.put("actor", actor);
        outbox.add(c, outbox.event("WORK_ORDER_TRANSITIONED", id + ":" + seq, wo.caseNo(), moved));
      }
    });
  }

  // --- deadlines -----------------------------------------------------------------------------

  /** The handler of the rectify, report and appeal-verify timers: flags what is overdue. */
  public List<TimerPoller.Fired> deadlinePassed(Connection c, List<TimerStore.Timer> due) throws SQLException {
    List<TimerPoller.Fired> out = new ArrayList<>();
    for (TimerStore.Timer t : due) {
      WorkOrder wo = lock(c, t.subject());
      if (wo == null) {
        out.add(TimerPoller.Fired.cancelled("no work order"));
        continue;
      }
      OffsetDateTime now = now();
      String deadline = t.kind() == TimerKind.WORK_ORDER_RECTIFY ? "RECTIFY" : t.kind() == TimerKind.WORK_ORDER_REPORT ? "REPORT" : "APPEAL_VERIFY";
      boolean overdue = t.kind() == TimerKind.APPEAL_VERIFY ? "FILED".equals(wo.appeal().state()) : policy.overdueWhenDue(t.kind(), wo.state());
      if (!overdue) {
        out.add(TimerPoller.Fired.cancelled("in time: " + wo.state()));
        continue;
      }
      Map<String, Object> set = new LinkedHashMap<>();
      if (t.kind() == TimerKind.APPEAL_VERIFY) {
        set.put("appeal_overdue", true);
      } else {
        set.put("overdue", true);
        if (wo.overdueSince() == null) {
          set.put("overdue_since", now);
        }
      }
      update(c, t.subject(), set);
      step(c, t.subject(), "OVERDUE", wo.state(), wo.state(), "system", deadlineLabel(deadline) + "期限 " + Deadlines.dayOf(t.dueAt()) + " 已过");
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("workOrderId", wo.id());
      data.put("ratingId", wo.ratingId());
      data.put("deadline", deadline);
      data.put("dueAt", t.dueAt());
      data.put("state", wo.state());
      data.put("deptCode", wo.deptCode());
      outbox.add(c, outbox.event(t.kind() == TimerKind.APPEAL_VERIFY ? "APPEAL_OVERDUE" : "WORK_ORDER_OVERDUE",
          wo.id() + ":" + deadline, wo.caseNo(), data));
      meters.counter("hcp.workorders.overdue", "deadline", deadline).increment();
      LOG.warn("Work order {} (case {}) is overdue: {} deadline {} passed in state {}", wo.id(), wo.caseNo(), deadline,
          Deadlines.dayOf(t.dueAt()), wo.state());
      out.add(TimerPoller.Fired.fired("overdue"));
    }
    return out;
  }

  private static String deadlineLabel(String deadline) {
    return switch (deadline) {
      case "RECTIFY" -> "整改";
      case "REPORT" -> "报送办结";
      default -> "申诉核实";
    };
  }

  // --- reading -------------------------------------------------------------------------------

  public Optional<WorkOrder> find(String id) {
    try (Connection c = db.connection()) {
      return Optional.ofNullable(read(c, id, false));
    } catch (SQLException e) {
      throw new StoreException("cannot read work order " + id, e);
    }
  }

  public Optional<String> idOfRating(String ratingId) {
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement("select id from work_orders where rating_id = ?")) {
      ps.setString(1, ratingId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read work orders", e);
    }
  }

  /** Work orders matching {@code f}, oldest first (those waiting longest). */
  public Page list(Filter f) {
    StringBuilder where = new StringBuilder(" where 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.state() != null) {
      where.append(" and state = ?");
      args.add(f.state().name());
    }
    if (f.deptCode() != null) {
      where.append(" and dept_code = ?");
      args.add(f.deptCode());
    }
    if (f.caseNo() != null) {
      where.append(" and case_no = ?");
      args.add(f.caseNo());
    }
    if (f.staffId() != null) {
      where.append(" and staff_id = ?");
      args.add(f.staffId());
    }
    if (f.overdue() != null) {
      where.append(" and overdue = ?");
      args.add(f.overdue());
    }
    try (Connection c = db.connection()) {
      long total;
      try (PreparedStatement ps = c.prepareStatement("select count(*) from work_orders" + where)) {
        bind(ps, args);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<WorkOrder> items = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("select * from work_orders" + where + " order by created_at, id limit ? offset ?")) {
        List<Object> all = new ArrayList<>(args);
        all.add(f.limit());
        all.add(f.offset());
        bind(ps, all);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            items.add(row(rs, List.of()));
          }
        }
      }
      return new Page(total, f.limit(), f.offset(), items);
    } catch (SQLException e) {
      throw new StoreException("cannot list work orders", e);
    }
  }

  /** The evaluator of the work order's rating, for the SMS feedback (000 第二十三条); never shown over the API. */
  public Optional<Person> evaluator(String id) {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select evaluator_sealed from work_orders where id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(cipher.openPerson(rs.getString(1))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read work order " + id, e);
    }
  }

  /** Work orders not closed (the gauge {@code hcp_workorders_open}). */
  public double open() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from work_orders where state <> 'CLOSED'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Work orders past a deadline and not closed (the gauge {@code hcp_workorders_overdue_open}). */
  public double openOverdue() {
    try (Connection c = db.connection();
        PreparedStatement ps = c.prepareStatement("select count(*) from work_orders where overdue = true and state <> 'CLOSED'");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException | RuntimeException e) {
      return Double.NaN;
    }
  }

  // --- plumbing ------------------------------------------------------------------------------

  @FunctionalInterface
  private interface Change {
    void apply(Connection c, WorkOrder locked) throws SQLException;
  }

  private WorkOrder inTransaction(String id, Change change) {
    try (Connection c = db.connection()) {
      c.setAutoCommit(false);
      try {
        // Lock order: the work order's timers, then the work order, as the poller does (it holds due
        // timer rows when it flags a work order overdue), so the two never wait on each other in a circle.
        lockTimers(c, id);
        WorkOrder wo = lock(c, id);
        if (wo == null) {
          throw Refused.notFound("没有工单 " + id, "no work order " + id);
        }
        change.apply(c, wo);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
      return read(c, id, false);
    } catch (SQLException e) {
      throw new StoreException("cannot change work order " + id, e);
    }
  }

  private static void lockTimers(Connection c, String id) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select kind from lifecycle_timers where subject = ? and kind in (?,?,?) "
        + "order by kind for update")) {
      ps.setString(1, id);
      ps.setString(2, TimerKind.APPEAL_VERIFY.name());
      ps.setString(3, TimerKind.WORK_ORDER_RECTIFY.name());
      ps.setString(4, TimerKind.WORK_ORDER_REPORT.name());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // locked
        }
      }
    }
  }

  private WorkOrder lock(Connection c, String id) throws SQLException {
    return read(c, id, true);
  }

  private WorkOrder read(Connection c, String id, boolean forUpdate) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("select * from work_orders where id = ?" + (forUpdate ? " for update" : ""))) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? row(rs, history(c, id)) : null;
      }
    }
  }

  private List<WorkOrder.Step> history(Connection c, String id) throws SQLException {
    List<WorkOrder.Step> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("select * from work_order_history where work_order_id = ? order by seq")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new WorkOrder.Step(rs.getInt("seq"), rs.getString("action"), rs.getString("from_state"), rs.getString("to_state"),
              rs.getString("actor"), rs.getString("notes"), time(rs, "at")));
        }
      }
    }
    return out;
  }

  private int step(Connection c, String id, String action, WorkOrderState from, WorkOrderState to, String actor, String notes)
      throws SQLException {
    int seq;
    try (PreparedStatement ps = c.prepareStatement("select coalesce(max(seq), 0) + 1 from work_order_history where work_order_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        seq = rs.getInt(1);
      }
    }
    try (PreparedStatement ps = c.prepareStatement("insert into work_order_history (work_order_id, seq, action, from_state, to_state, "
        + "actor, notes, at) values (?,?,?,?,?,?,?,?)")) {
      ps.setString(1, id);
      ps.setInt(2, seq);
      ps.setString(3, action);
      ps.setString(4, from == null ? null : from.name());
      ps.setString(5, to == null ? null : to.name());
      ps.setString(6, actor);
      ps.setString(7, notes == null || notes.length() <= 2000 ? notes : notes.substring(0, 2000));
      ps.setObject(8, now());
      ps.executeUpdate();
    }
    return seq;
  }

  /** Sets the given columns (names from this class only) and bumps version and updated_at. */
  private void update(Connection c, String id, Map<String, Object> columns) throws SQLException {
    Map<String, Object> set = new LinkedHashMap<>(columns);
    set.put("updated_at", now());
    String sql = "update work_orders set " + set.keySet().stream().map(k -> k + " = ?").collect(Collectors.joining(", "))
        + ", version = version + 1 where id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      List<Object> args = new ArrayList<>(set.values());
      args.add(id);
      bind(ps, args);
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object v = args.get(i);
      if (v == null) {
        // Untyped: PostgreSQL infers the column's type (a VARCHAR null does not fit a timestamp column).
        ps.setNull(i + 1, java.sql.Types.NULL);
      } else if (v instanceof OffsetDateTime t) {
        ps.setObject(i + 1, t);
      } else if (v instanceof Boolean b) {
        ps.setBoolean(i + 1, b);
      } else if (v instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else {
        ps.setString(i + 1, v.toString());
      }
    }
  }

  private static WorkOrder row(ResultSet rs, List<WorkOrder.Step> history) throws SQLException {
    String tags = rs.getString("tags");
    WorkOrder.Appeal appeal = new WorkOrder.Appeal(rs.getString("appeal_state"), rs.getString("appeal_reason"), rs.getString("appeal_actor"),
        rs.getString("appeal_notes"), time(rs, "appeal_file_due_at"), time(rs, "appeal_filed_at"), time(rs, "appeal_verify_due_at"),
        time(rs, "appeal_decided_at"), rs.getString("appeal_decided_by"), rs.getString("appeal_decision_notes"),
        rs.getBoolean("appeal_overdue"));
    return new WorkOrder(rs.getString("id"), rs.getString("rating_id"), rs.getString("case_no"), rs.getString("level"),
        tags == null ? List.of() : List.of(tags.split(",")), rs.getString("comment_text"), rs.getString("channel"),
        rs.getString("task_code"), rs.getString("item_name"), rs.getString("dept_code"), rs.getString("staff_id"),
        rs.getString("hall_code"), rs.getString("window_no"), rs.getString("area_code"), rs.getString("business_line"),
        WorkOrderState.valueOf(rs.getString("state")), rs.getString("resolution"), time(rs, "created_at"), time(rs, "updated_at"),
        time(rs, "verified_at"), time(rs, "rectify_due_at"), time(rs, "rectified_at"), time(rs, "report_due_at"),
        time(rs, "revisited_at"), time(rs, "closed_at"), rs.getBoolean("overdue"), time(rs, "overdue_since"),
        rs.getString("rectification"), rs.getString("explanation"), appeal, history);
  }

  private static OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    return ChinaTime.of(rs.getObject(column, OffsetDateTime.class));
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock).truncatedTo(ChronoUnit.MILLIS);
  }

  private static void requireActor(String actor, List<Violation> bad) {
    if (actor == null || actor.isBlank()) {
      bad.add(Violation.invalid("actor", "required", "须填写经办人 actor（谁做的这一步）", "actor (who takes this step) is required"));
    } else if (actor.length() > 64) {
      bad.add(Violation.invalid("actor", "maxLength", "actor 不能超过 64 个字符", "actor must be at most 64 characters"));
    }
  }

  private static String states() {
    return Arrays.stream(WorkOrderState.values()).map(s -> s.name() + " " + s.label()).collect(Collectors.joining("、"));
  }
}
