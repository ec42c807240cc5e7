package org.haochaping.gateway.sim;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.haochaping.gateway.sms.SmsSegments;
import org.jsmpp.PDUException;
import org.jsmpp.SMPPConstant;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.CancelBroadcastSm;
import org.jsmpp.bean.CancelSm;
import org.jsmpp.bean.DataSm;
import org.jsmpp.bean.ESMClass;
import org.jsmpp.bean.EnquireLink;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.OptionalParameter;
import org.jsmpp.bean.QueryBroadcastSm;
import org.jsmpp.bean.QuerySm;
import org.jsmpp.bean.RawDataCoding;
import org.jsmpp.bean.RegisteredDelivery;
import org.jsmpp.bean.ReplaceSm;
import org.jsmpp.bean.SubmitMulti;
import org.jsmpp.bean.SubmitSm;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.NegativeResponseException;
import org.jsmpp.extra.ProcessRequestException;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindRequest;
import org.jsmpp.session.BroadcastSmResult;
import org.jsmpp.session.DataSmResult;
import org.jsmpp.session.QueryBroadcastSmResult;
import org.jsmpp.session.QuerySmResult;
import org.jsmpp.session.SMPPServerSession;
import org.jsmpp.session.SMPPServerSessionListener;
import org.jsmpp.session.ServerMessageReceiverListener;
import org.jsmpp.session.ServerResponseDeliveryListener;
import org.jsmpp.session.Session;
import org.jsmpp.session.SessionStateListener;
import org.jsmpp.session.SubmitMultiResult;
import org.jsmpp.session.SubmitSmResult;
import org.jsmpp.session.connection.Connection;
import org.jsmpp.session.connection.ServerConnection;
import org.jsmpp.session.connection.ServerConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.jsmpp.util.MessageId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated SMSC: a real SMPP 3.4 server (jSMPP server side) that the gateway binds to over a
 * socket, as it would to a carrier.
 *
 * <p>It records every submit_sm with its receive time, decodes the text (UCS-2, GSM default
 * alphabet, Latin-1), reassembles concatenated messages as a handset shows them, flags what a
 * carrier would reject, sends delivery receipts and injected MO replies as deliver_sm, and lets
 * tests break things: refused and dropped binds, throttling, error rates, slow responses.
 *
 * <pre>
 * try (SmscSimulator smsc = SmscSimulator.start(SmscSimulator.Settings.defaults())) {
 *   ... bind to localhost:smsc.port() ...
 * }
 * </pre>
 */
public final class SmscSimulator implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SmscSimulator.class);

  private static final int MAX_DELIVERY_ATTEMPTS = 10;
  private static final Duration REFUSED_BIND_LINGER = Duration.ofSeconds(2);
  /** Receipts (deliver_sm) sent at once, each awaiting its deliver_sm_resp; replies (MO) go one by one. */
  static final int RECEIPT_WINDOW = 16;

  /**
   * How the simulator is set up. Start from {@link #defaults()} and change with the {@code with}
   * methods.
   *
   * @param host address to listen on (127.0.0.1 by default; 0.0.0.0 inside a container)
   * @param port SMPP port; 0 picks a free one ({@link SmscSimulator#port()} tells which)
   * @param controlPort HTTP control port; 0 picks a free one, -1 starts no control server
   * @param systemId the system_id the ESME must bind with
   * @param password the password the ESME must bind with (SMPP 3.4: at most 8 characters)
   * @param smscSystemId the system_id the simulator answers in bind_resp
   * @param maxBinds the carrier's bind limit for the account (transmitter, receiver and
   *     transceiver binds each count one)
   * @param maxTps accepted submit_sm per second before answering ESME_RTHROTTLED; 0 = unlimited
   * @param strict refuse parts a carrier would refuse (longer than 140 octets, odd UCS-2 length)
   *     with ESME_RINVMSGLEN; they are recorded and flagged either way
   * @param receiptDelay delay before a delivery receipt, unless an outcome says otherwise
   * @param zone local time of the receipt dates
   * @param enquireLinkInterval idle time after which the simulator sends enquire_link
   * @param deliverTimeout how long to wait for deliver_sm_resp
   * @param bindTimeout how long a new connection may take to send its bind
   * @param maxRecorded parts, messages and deliveries kept for queries (oldest dropped first)
   */
  public record Settings(
      String host,
      int port,
      int controlPort,
      String systemId,
      String password,
      String smscSystemId,
      int maxBinds,
      int maxTps,
      boolean strict,
      Duration receiptDelay,
      ZoneId zone,
      Duration enquireLinkInterval,
      Duration deliverTimeout,
      Duration bindTimeout,
      int maxRecorded) {

    public Settings {
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(systemId, "systemId");
      Objects.requireNonNull(password, "password");
      Objects.requireNonNull(smscSystemId, "smscSystemId");
      Objects.requireNonNull(receiptDelay, "receiptDelay");
      Objects.requireNonNull(zone, "zone");
      Objects.requireNonNull(enquireLinkInterval, "enquireLinkInterval");
      Objects.requireNonNull(deliverTimeout, "deliverTimeout");
      Objects.requireNonNull(bindTimeout, "bindTimeout");
      if (port < 0 || port > 65535 || controlPort < -1 || controlPort > 65535) {
        throw new IllegalArgumentException("bad port: " + port + " / control " + controlPort);
      }
      if (maxBinds < 1 || maxTps < 0 || maxRecorded < 1) {
        throw new IllegalArgumentException("maxBinds >= 1, maxTps >= 0, maxRecorded >= 1");
      }
    }

    /** Loopback, ephemeral SMPP port, no control server, account {@code hcpgw}/{@code hcpsim01}. */
    public static Settings defaults() {
      return new Settings(
          "127.0.0.1", 0, -1, "hcpgw", "hcpsim01", "HCPSIM", 4, 0, true, Duration.ZERO,
          ZoneId.of("Asia/Shanghai"), Duration.ofSeconds(30), Duration.ofSeconds(5),
          Duration.ofSeconds(10), 100_000);
    }

    public Settings withHost(String host) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withPort(int port) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withControlPort(int controlPort) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withCredentials(String systemId, String password) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withMaxBinds(int maxBinds) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withMaxTps(int maxTps) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withStrict(boolean strict) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withReceiptDelay(Duration receiptDelay) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withZone(ZoneId zone) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }

    public Settings withEnquireLinkInterval(Duration enquireLinkInterval) {
      return new Settings(host, port, controlPort, systemId, password, smscSystemId, maxBinds,
          maxTps, strict, receiptDelay, zone, enquireLinkInterval, deliverTimeout, bindTimeout,
          maxRecorded);
    }
  }

  /** Counters since start or the last {@link #clear()}. */
  public record Stats(
      int boundSessions,
      long bindsAccepted,
      long bindsRefused,
      long submitsReceived,
      long submitsAccepted,
      long submitsThrottled,
      long submitsFailed,
      long messagesAssembled,
      int incompleteMessages,
      long partsWithAnomalies,
      long receiptsSent,
      long mosSent,
      int deliveriesQueued,
      long enquireLinks,
      int maxSubmitsPerSecond,
      int maxAcceptedPerSecond) {}

  /** A bound ESME session. */
  private record Bound(SMPPServerSession session, String systemId, BindType type, Instant since) {}

  private final Settings settings;
  private final Clock clock = Clock.systemUTC();
  private final ServerSocket serverSocket;
  private final SMPPServerSessionListener listener;
  private final Map<String, SMPPServerSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, Bound> bound = new ConcurrentHashMap<>();
  private final Object bindLock = new Object();
  private final ExecutorService binders;
  private final ScheduledExecutorService timers;
  private final Thread acceptor;
  private final Thread deliverer;
  private final ExecutorService receiptSenders;
  private final Semaphore receiptWindow = new Semaphore(RECEIPT_WINDOW);
  private final SmscControlServer control;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  // Faults and receipt outcomes, changeable while running.
  private volatile boolean refuseBinds;
  private volatile int maxTps;
  private volatile double submitErrorRate;
  private volatile int submitErrorStatus = SMPPConstant.STAT_ESME_RSYSERR;
  private volatile Duration submitResponseDelay = Duration.ZERO;
  private volatile java.util.function.BiPredicate<String, Concat> submitRefusal;
  private volatile ReceiptOutcome defaultOutcome;
  private final Map<String, ReceiptOutcome> outcomeByDestination = new ConcurrentHashMap<>();
  private volatile Function<SubmittedPart, ReceiptOutcome> receiptPolicy;

  // Recorded traffic; guarded by `this`.
  private final Deque<SubmittedPart> parts = new ArrayDeque<>();
  private final Deque<AssembledMessage> messages = new ArrayDeque<>();
  private final Map<Long, Delivery> deliveries = new LinkedHashMap<>();
  private final Reassembler reassembler = new Reassembler();
  private final PeakRate receivedRate = new PeakRate(Duration.ofSeconds(1));
  private final PeakRate acceptedRate = new PeakRate(Duration.ofSeconds(1));
  private long submitsReceived;
  private long submitsAccepted;
  private long submitsThrottled;
  private long submitsFailed;
  private long messagesAssembled;
  private long partsWithAnomalies;
  private long receiptsSent;
  private long mosSent;

  private final AtomicLong bindsAccepted = new AtomicLong();
  private final AtomicLong bindsRefused = new AtomicLong();
  private final AtomicLong enquireLinks = new AtomicLong();
  private final Map<String, SubmittedPart> awaitingResp = new ConcurrentHashMap<>();
  private final LinkedBlockingDeque<Delivery> outbox = new LinkedBlockingDeque<>();
  private final Object receiverAvailable = new Object();
  private final AtomicLong deliveryIds = new AtomicLong();
  private final AtomicInteger moReference = new AtomicInteger();
  private final AtomicInteger receiverTurn = new AtomicInteger();
  private final AtomicLong messageIds;

  private SmscSimulator(Settings settings) throws IOException {
    this.settings = settings;
    this.maxTps = settings.maxTps();
    this.defaultOutcome = ReceiptOutcome.delivered().after(settings.receiptDelay());
    this.receiptPolicy = this::configuredOutcome;
    // Ids unique across restarts of the simulator: start time in the high bits.
    this.messageIds = new AtomicLong(System.currentTimeMillis() << 16);

    this.serverSocket = new ServerSocket();
    serverSocket.setReuseAddress(true);
    serverSocket.bind(new InetSocketAddress(settings.host(), settings.port()), 50);
    this.listener = new SMPPServerSessionListener(settings.port(), new BoundSocketFactory());
    listener.setSessionStateListener(new StateListener());
    listener.setMessageReceiverListener(new Receiver());
    listener.setResponseDeliveryListener(new RespListener());
    listener.setInitiationTimer((int) settings.bindTimeout().toMillis());

    this.binders = Executors.newCachedThreadPool(daemon("smsc-sim-bind"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemon("smsc-sim-timer"));
    this.acceptor = daemon("smsc-sim-accept").newThread(this::acceptLoop);
    this.deliverer = daemon("smsc-sim-deliver").newThread(this::deliveryLoop);
    this.receiptSenders = Executors.newFixedThreadPool(RECEIPT_WINDOW, daemon("smsc-sim-receipt"));
    acceptor.start();
    deliverer.start();
    SmscControlServer server = null;
    if (settings.controlPort() >= 0) {
      try {
        server = SmscControlServer.start(this, settings.host(), settings.controlPort());
      } catch (IOException | RuntimeException e) {
        stop();
        throw e;
      }
    }
    this.control = server;
    LOG.info(
        "SMSC simulator (not a real carrier) listening on {}:{} for system_id {}{}",
        settings.host(), port(), settings.systemId(),
        control == null ? "" : ", control API on port " + control.port());
  }

  /** Starts a simulator; it listens until {@link #stop()}. */
  public static SmscSimulator start(Settings settings) throws IOException {
    return new SmscSimulator(settings);
  }

  /** The actual SMPP port (useful with port 0). */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /** The actual HTTP control port, or -1 when no control server runs. */
  public int controlPort() {
    return control == null ? -1 : control.port();
  }

  public Settings settings() {
    return settings;
  }

  /** Sessions currently bound (transmitter, receiver or transceiver). */
  public int boundSessions() {
    return liveBinds().size();
  }

  // ---------------------------------------------------------------- faults

  /** Closes every session at once, without unbind, as when the carrier's link drops. */
  public int dropBinds() {
    List<SMPPServerSession> all = new ArrayList<>(sessions.values());
    all.forEach(SMPPServerSession::close);
    bound.clear();
    if (!all.isEmpty()) {
      LOG.info("SMSC simulator dropped {} session(s)", all.size());
    }
    return all.size();
  }

  /** While true, every bind is answered ESME_RBINDFAIL. */
  public void setRefuseBinds(boolean refuse) {
    this.refuseBinds = refuse;
  }

  /** Accepted submit_sm per second before ESME_RTHROTTLED; 0 = unlimited. */
  public void setMaxTps(int maxTps) {
    if (maxTps < 0) {
      throw new IllegalArgumentException("maxTps must be >= 0");
    }
    this.maxTps = maxTps;
  }

  /** Refuses this share (0..1) of submit_sm with {@code commandStatus}, at random. */
  public void setSubmitErrorRate(double rate, int commandStatus) {
    if (rate < 0 || rate > 1 || commandStatus == 0) {
      throw new IllegalArgumentException("rate in 0..1 and a non-zero status");
    }
    this.submitErrorStatus = commandStatus;
    this.submitErrorRate = rate;
  }

  /**
   * Refuses, with the error status of {@link #setSubmitErrorRate} (default system error, transient),
   * every submit_sm the rule picks, given its destination and its concatenation information (null for
   * a one-part SMS): a fault placed exactly, e.g. "the first time the second part of each SMS comes".
   * Null removes the rule.
   */
  public void setSubmitRefusal(java.util.function.BiPredicate<String, Concat> rule) {
    this.submitRefusal = rule;
  }

  /** Delays each submit_sm_resp (a slow SMSC; jSMPP handles three PDUs per session at once). */
  public void setSubmitResponseDelay(Duration delay) {
    this.submitResponseDelay = Objects.requireNonNull(delay);
  }

  /** The outcome for destinations without their own. */
  public void setReceiptOutcome(ReceiptOutcome outcome) {
    this.defaultOutcome = Objects.requireNonNull(outcome);
  }

  /** The outcome for one destination address (as the ESME sent it). */
  public void setReceiptOutcome(String destination, ReceiptOutcome outcome) {
    outcomeByDestination.put(destination, Objects.requireNonNull(outcome));
  }

  /** Decides every outcome with a function, replacing the per-destination and default ones. */
  public void setReceiptPolicy(Function<SubmittedPart, ReceiptOutcome> policy) {
    this.receiptPolicy = Objects.requireNonNull(policy);
  }

  private ReceiptOutcome configuredOutcome(SubmittedPart part) {
    return outcomeByDestination.getOrDefault(part.destination(), defaultOutcome);
  }

  // ---------------------------------------------------------------- MO

  /**
   * Sends a mobile-originated SMS to the bound ESME (a receiver or transceiver session) as
   * deliver_sm in UCS-2; texts over 70 characters go as concatenated parts with a UDH. Queued
   * while no receiver is bound.
   *
   * @param sourceMobile the citizen's number, e.g. {@code 13800000000}
   * @param destAddress the gateway's service number, possibly with an extension suffix
   * @return the queued deliver_sm, one per part
   */
  public List<Delivery> injectMo(String sourceMobile, String destAddress, String text) {
    checkAddress("sourceMobile", sourceMobile);
    checkAddress("destAddress", destAddress);
    Objects.requireNonNull(text, "text");
    List<byte[]> sms = SmsSegments.ucs2ShortMessages(text, moReference.getAndIncrement() & 0xFF);
    List<String> texts = SmsSegments.split(text);
    int esm = sms.size() > 1 ? SmsSegments.ESM_CLASS_UDHI : 0;
    List<Delivery> queued = new ArrayList<>();
    for (int i = 0; i < sms.size(); i++) {
      queued.add(
          enqueue(
              Delivery.Kind.MO, sourceMobile, destAddress, texts.get(i), esm,
              SmsSegments.DATA_CODING_UCS2, sms.get(i), null, null));
    }
    LOG.info(
        "SMSC simulator queued MO from {} to {} ({} part(s))",
        MobileMask.mask(sourceMobile), destAddress, sms.size());
    return queued;
  }

  private static void checkAddress(String name, String address) {
    if (address == null || address.isBlank() || address.length() > 20) {
      throw new IllegalArgumentException(name + " must be 1..20 characters: " + address);
    }
  }

  // ---------------------------------------------------------------- queries

  /** Every submit_sm received, accepted or refused, in arrival order. */
  public synchronized List<SubmittedPart> parts() {
    return List.copyOf(parts);
  }

  /** Complete messages as a handset shows them, in completion order. */
  public synchronized List<AssembledMessage> messages() {
    return List.copyOf(messages);
  }

  /** Concatenated messages still missing parts. */
  public synchronized List<IncompleteMessage> incomplete() {
    return reassembler.incomplete();
  }

  /** Receipts and MO sent or waiting to be sent. */
  public synchronized List<Delivery> deliveries() {
    return List.copyOf(deliveries.values());
  }

  /** The most submit_sm received (accepted or not) in any one-second window. */
  public synchronized int maxSubmitsPerSecond() {
    return receivedRate.peak();
  }

  public synchronized Stats stats() {
    return new Stats(
        boundSessions(), bindsAccepted.get(), bindsRefused.get(), submitsReceived,
        submitsAccepted, submitsThrottled, submitsFailed, messagesAssembled,
        reassembler.incomplete().size(), partsWithAnomalies, receiptsSent, mosSent,
        outbox.size(), enquireLinks.get(), receivedRate.peak(), acceptedRate.peak());
  }

  /** Forgets recorded traffic and counters; faults and bound sessions stay. */
  public synchronized void clear() {
    parts.clear();
    messages.clear();
    deliveries.clear();
    reassembler.clear();
    receivedRate.clear();
    acceptedRate.clear();
    submitsReceived = 0;
    submitsAccepted = 0;
    submitsThrottled = 0;
    submitsFailed = 0;
    messagesAssembled = 0;
    partsWithAnomalies = 0;
    receiptsSent = 0;
    mosSent = 0;
    bindsAccepted.set(0);
    bindsRefused.set(0);
    enquireLinks.set(0);
  }

  /** {@link #clear()}, drops queued deliveries and restores the faults and outcomes of the settings. */
  public void reset() {
    outbox.clear();
    awaitingResp.clear();
    refuseBinds = false;
    maxTps = settings.maxTps();
    submitErrorRate = 0;
    submitErrorStatus = SMPPConstant.STAT_ESME_RSYSERR;
    submitResponseDelay = Duration.ZERO;
    submitRefusal = null;
    defaultOutcome = ReceiptOutcome.delivered().after(settings.receiptDelay());
    outcomeByDestination.clear();
    receiptPolicy = this::configuredOutcome;
    clear();
  }

  /** The faults in force, for the control API. */
  Map<String, Object> faults() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("refuseBinds", refuseBinds);
    f.put("maxTps", maxTps);
    f.put("errorRate", submitErrorRate);
    f.put("errorStatus", submitErrorStatus);
    f.put("submitResponseDelayMs", submitResponseDelay.toMillis());
    f.put("receiptState", defaultOutcome.state().name());
    f.put("receiptError", defaultOutcome.error());
    f.put("receiptDelayMs", defaultOutcome.delay().toMillis());
    Map<String, String> byDest = new LinkedHashMap<>();
    outcomeByDestination.forEach((k, v) -> byDest.put(k, v.state().name()));
    f.put("receiptOutcomes", byDest);
    return f;
  }

  // ---------------------------------------------------------------- lifecycle

  /** Stops listening, closes every session and the control server. */
  public void stop() {
    if (!running) {
      return;
    }
    running = false;
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debug("closing listener", e);
    }
    dropBinds();
    if (control != null) {
      control.stop();
    }
    acceptor.interrupt();
    deliverer.interrupt();
    receiptSenders.shutdownNow();
    binders.shutdownNow();
    timers.shutdownNow();
    stopped.countDown();
    LOG.info("SMSC simulator on port {} stopped", port());
  }

  @Override
  public void close() {
    stop();
  }

  /** Blocks until {@link #stop()}. */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  // ---------------------------------------------------------------- binds

  private void acceptLoop() {
    while (running) {
      SMPPServerSession session;
      try {
        session = listener.accept();
      } catch (IOException e) {
        if (running) {
          LOG.warn("SMSC simulator accept failed: {}", e.getMessage());
        }
        continue;
      }
      if (!running) {
        session.close();
        break;
      }
      session.setTransactionTimer(settings.deliverTimeout().toMillis());
      sessions.put(session.getSessionId(), session);
      binders.execute(() -> awaitBind(session));
    }
  }

  private void awaitBind(SMPPServerSession session) {
    BindRequest request;
    try {
      request = session.waitForBind(settings.bindTimeout().toMillis());
    } catch (TimeoutException e) {
      LOG.info("SMSC simulator: no bind within {} from {}", settings.bindTimeout(), peer(session));
      sessions.remove(session.getSessionId());
      return;
    } catch (IllegalStateException e) {
      LOG.debug("session {} closed before bind", session.getSessionId());
      sessions.remove(session.getSessionId());
      return;
    }
    boolean accepted = false;
    try {
      synchronized (bindLock) {
        int refusal = bindRefusal(request);
        if (refusal == 0) {
          request.accept(settings.smscSystemId(), InterfaceVersion.IF_34);
          // idle time after which the simulator itself sends enquire_link
          session.setEnquireLinkTimer((int) settings.enquireLinkInterval().toMillis());
          bound.put(
              session.getSessionId(),
              new Bound(session, request.getSystemId(), request.getBindType(), clock.instant()));
          bindsAccepted.incrementAndGet();
          accepted = true;
        } else {
          bindsRefused.incrementAndGet();
          request.reject(refusal);
          LOG.info(
              "SMSC simulator refused {} from {}: status 0x{}",
              request.getBindType(), peer(session), Integer.toHexString(refusal));
        }
      }
    } catch (IOException | PDUException e) {
      LOG.info("SMSC simulator bind answer failed: {}", e.getMessage());
    }
    if (accepted) {
      LOG.info(
          "SMSC simulator accepted {} for {} from {} ({} bound)",
          request.getBindType(), request.getSystemId(), peer(session), boundSessions());
      synchronized (receiverAvailable) {
        receiverAvailable.notifyAll();
      }
    } else if (running) {
      // Leave the close to the ESME: jSMPP 3.0.1 clients lose a negative bind_resp when the
      // socket closes right behind it, and then wait out their whole bind timeout.
      timers.schedule(
          () -> {
            sessions.remove(session.getSessionId());
            session.close();
          },
          REFUSED_BIND_LINGER.toMillis(),
          TimeUnit.MILLISECONDS);
    } else {
      session.close();
    }
  }

  private int bindRefusal(BindRequest request) {
    if (refuseBinds) {
      return SMPPConstant.STAT_ESME_RBINDFAIL;
    }
    if (!settings.systemId().equals(request.getSystemId())) {
      return SMPPConstant.STAT_ESME_RINVSYSID;
    }
    if (!settings.password().equals(request.getPassword())) {
      return SMPPConstant.STAT_ESME_RINVPASWD;
    }
    if (liveBinds().size() >= settings.maxBinds()) {
      return SMPPConstant.STAT_ESME_RBINDFAIL; // the account's bind limit is reached
    }
    return 0;
  }

  private List<Bound> liveBinds() {
    bound.values().removeIf(b -> !b.session().getSessionState().isBound());
    return List.copyOf(bound.values());
  }

  private static String peer(SMPPServerSession session) {
    try {
      return session.getInetAddress().getHostAddress() + ":" + session.getPort();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  // ---------------------------------------------------------------- submit_sm

  private SubmitSmResult onSubmit(SubmitSm submit, SMPPServerSession source)
      throws ProcessRequestException {
    byte[] userData = submit.getShortMessage() == null ? new byte[0] : submit.getShortMessage();
    boolean fromPayload = false;
    if (userData.length == 0) {
      OptionalParameter payload = submit.getOptionalParameter(OptionalParameter.Tag.MESSAGE_PAYLOAD);
      if (payload instanceof OptionalParameter.OctetString octets) {
        userData = octets.getValue();
        fromPayload = true;
      }
    }
    ShortMessageDecoder.Decoded decoded =
        ShortMessageDecoder.decode(
            submit.getDataCoding(), submit.getEsmClass(), userData, fromPayload, sar(submit));
    Bound session = bound.get(source.getSessionId());
    String systemId = session == null ? settings.systemId() : session.systemId();

    int status;
    String messageId = null;
    SubmittedPart part;
    synchronized (this) {
      long nanos = System.nanoTime();
      Instant now = clock.instant();
      receivedRate.record(nanos);
      submitsReceived++;
      status = verdict(submit.getDestAddress(), decoded, nanos);
      if (status == 0) {
        messageId = Long.toHexString(messageIds.incrementAndGet());
        acceptedRate.record(nanos);
        submitsAccepted++;
      } else if (status == SMPPConstant.STAT_ESME_RTHROTTLED) {
        submitsThrottled++;
      } else {
        submitsFailed++;
      }
      part =
          new SubmittedPart(
              messageId, status, systemId, now, nanos, submit.getSourceAddr(),
              submit.getDestAddress(), submit.getDataCoding() & 0xFF, submit.getEsmClass() & 0xFF,
              submit.getRegisteredDelivery() & 0xFF, userData, decoded.text(), decoded.concat(),
              decoded.anomalies());
      if (status == 0) {
        Reassembler.Offer offer = reassembler.offer(part, now);
        part = offer.part();
        offer.completed().ifPresent(this::recordMessage);
      }
      if (!part.anomalies().isEmpty()) {
        partsWithAnomalies++;
      }
      bounded(parts, part);
    }
    if (!part.anomalies().isEmpty()) {
      LOG.info(
          "SMSC simulator: submit_sm to {} has anomalies {}",
          MobileMask.mask(part.destination()), part.anomalies());
    }
    LOG.debug(
        "SMSC simulator submit_sm to {} dc={} status=0x{} id={}",
        MobileMask.mask(part.destination()), part.dataCoding(), Integer.toHexString(status),
        messageId);
    Duration delay = submitResponseDelay;
    if (!delay.isZero()) {
      try {
        Thread.sleep(delay.toMillis()); // the fault being simulated: a slow SMSC
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (status != 0) {
      throw new ProcessRequestException("refused by SMSC simulator", status);
    }
    if ((part.registeredDelivery() & 0x03) != 0) {
      awaitingResp.put(messageId, part); // the receipt follows the submit_sm_resp
    }
    try {
      return new SubmitSmResult(new MessageId(messageId), new OptionalParameter[0]);
    } catch (PDUException e) {
      throw new ProcessRequestException(e.getMessage(), SMPPConstant.STAT_ESME_RSYSERR);
    }
  }

  /** 0 to accept, else the error status. Called under the lock. */
  private int verdict(String destination, ShortMessageDecoder.Decoded decoded, long nanos) {
    int tps = maxTps;
    if (tps > 0 && acceptedRate.countAt(nanos) >= tps) {
      return SMPPConstant.STAT_ESME_RTHROTTLED;
    }
    var rule = submitRefusal;
    if (rule != null && rule.test(destination, decoded.concat())) {
      return submitErrorStatus;
    }
    double rate = submitErrorRate;
    if (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate) {
      return submitErrorStatus;
    }
    if (settings.strict()
        && (decoded.anomalies().contains(Anomaly.TOO_LONG)
            || decoded.anomalies().contains(Anomaly.UCS2_ODD_LENGTH))) {
      return SMPPConstant.STAT_ESME_RINVMSGLEN;
    }
    return 0;
  }

  private void recordMessage(AssembledMessage message) {
    messagesAssembled++;
    bounded(messages, message);
  }

  private <T> void bounded(Deque<T> deque, T item) {
    deque.addLast(item);
    while (deque.size() > settings.maxRecorded()) {
      deque.removeFirst();
    }
  }

  private static Concat sar(SubmitSm submit) {
    Integer ref = tlvInt(submit.getOptionalParameter(OptionalParameter.Tag.SAR_MSG_REF_NUM));
    Integer total = tlvInt(submit.getOptionalParameter(OptionalParameter.Tag.SAR_TOTAL_SEGMENTS));
    Integer seq = tlvInt(submit.getOptionalParameter(OptionalParameter.Tag.SAR_SEGMENT_SEQNUM));
    if (ref == null || total == null || seq == null) {
      return null;
    }
    return new Concat(Concat.Scheme.SAR, ref, total, seq);
  }

  private static Integer tlvInt(OptionalParameter p) {
    if (p instanceof OptionalParameter.Short s) {
      return s.getValue() & 0xFFFF;
    }
    if (p instanceof OptionalParameter.Byte b) {
      return b.getValue() & 0xFF;
    }
    if (p instanceof OptionalParameter.OctetString o) {
      int v = 0;
      for (byte x : o.getValue()) {
        v = (v << 8) | (x & 0xFF);
      }
      return v;
    }
    return null;
  }

  // ---------------------------------------------------------------- receipts and deliveries

  private void scheduleReceipt(SubmittedPart part) {
    ReceiptOutcome outcome;
    try {
      outcome = receiptPolicy.apply(part);
    } catch (RuntimeException e) {
      LOG.warn("SMSC simulator receipt policy failed; sending DELIVRD", e);
      outcome = ReceiptOutcome.delivered();
    }
    int wanted = part.registeredDelivery() & 0x03;
    if (wanted == 2 && !outcome.state().isFailure()) {
      return; // receipt on failure only
    }
    ReceiptOutcome chosen = outcome;
    Runnable send =
        () -> {
          String text =
              DeliveryReceiptText.format(
                  part.messageId(), part.receivedAt(), clock.instant(), chosen.state(),
                  chosen.error(), part.text(), settings.zone());
          // The receipt goes from the handset (original destination) to the ESME (original source).
          enqueue(
              Delivery.Kind.RECEIPT, part.destination(), part.source(), text, 0x04, 0x00,
              text.getBytes(StandardCharsets.US_ASCII), part.messageId(), chosen.state());
        };
    if (chosen.delay().isZero()) {
      send.run();
    } else if (running) {
      timers.schedule(send, chosen.delay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private Delivery enqueue(
      Delivery.Kind kind,
      String source,
      String destination,
      String text,
      int esmClass,
      int dataCoding,
      byte[] shortMessage,
      String receiptedId,
      ReceiptState state) {
    Delivery d =
        new Delivery(
            deliveryIds.incrementAndGet(), kind, source, destination, text, esmClass, dataCoding,
            shortMessage, receiptedId, state, Delivery.Status.QUEUED, 0, clock.instant(), null, 0);
    synchronized (this) {
      deliveries.put(d.id(), d);
      while (deliveries.size() > settings.maxRecorded()) {
        deliveries.remove(deliveries.keySet().iterator().next());
      }
    }
    outbox.addLast(d);
    return d;
  }

  private void deliveryLoop() {
    while (running) {
      Delivery d;
      try {
        d = outbox.pollFirst(500, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (d == null) {
        continue;
      }
      SMPPServerSession session = nextReceiver();
      if (session == null) {
        outbox.addFirst(d); // kept until the ESME binds again, as a carrier does
        synchronized (receiverAvailable) {
          try {
            receiverAvailable.wait(500);
          } catch (InterruptedException e) {
            return;
          }
        }
        continue;
      }
      if (d.kind() == Delivery.Kind.RECEIPT) {
        // receipts go out with a window, as a carrier's SMSC sends them: several deliver_sm awaiting
        // their deliver_sm_resp at once
        try {
          receiptWindow.acquire();
        } catch (InterruptedException e) {
          outbox.addFirst(d);
          return;
        }
        try {
          receiptSenders.execute(() -> {
            try {
              send(session, d);
            } finally {
              receiptWindow.release();
            }
          });
        } catch (RejectedExecutionException e) {
          receiptWindow.release(); // stopping
          return;
        }
      } else {
        send(session, d); // replies one at a time, in the order they came: "5", then the reason
      }
    }
  }

  private SMPPServerSession nextReceiver() {
    List<Bound> receivers =
        liveBinds().stream().filter(b -> b.session().getSessionState().isReceivable()).toList();
    if (receivers.isEmpty()) {
      return null;
    }
    return receivers.get(Math.floorMod(receiverTurn.getAndIncrement(), receivers.size())).session();
  }

  private void send(SMPPServerSession session, Delivery d) {
    int attempts = d.attempts() + 1;
    OptionalParameter[] tlvs =
        d.kind() == Delivery.Kind.RECEIPT
            ? new OptionalParameter[] {
              new OptionalParameter.Receipted_message_id(d.receiptedMessageId()),
              new OptionalParameter.Message_state((byte) d.receiptState().messageState())
            }
            : new OptionalParameter[0];
    try {
      session.deliverShortMessage(
          "", ton(d.source()), NumberingPlanIndicator.ISDN, plain(d.source()),
          ton(d.destination()), NumberingPlanIndicator.ISDN, plain(d.destination()),
          new ESMClass(d.esmClass()), (byte) 0, (byte) 0, new RegisteredDelivery(0),
          new RawDataCoding((byte) d.dataCoding()), d.shortMessage(), tlvs);
      finish(d.with(Delivery.Status.DELIVERED, attempts, clock.instant(), 0));
      if (d.kind() == Delivery.Kind.MO) {
        LOG.info("SMSC simulator delivered MO from {}", MobileMask.mask(d.source()));
      }
    } catch (NegativeResponseException e) {
      LOG.info("ESME refused deliver_sm {}: status 0x{}", d.id(), Integer.toHexString(e.getCommandStatus()));
      finish(d.with(Delivery.Status.REFUSED_BY_ESME, attempts, clock.instant(), e.getCommandStatus()));
    } catch (PDUException e) {
      LOG.warn("SMSC simulator cannot encode deliver_sm {}: {}", d.id(), e.getMessage());
      finish(d.with(Delivery.Status.FAILED, attempts, clock.instant(), 0));
    } catch (IOException | ResponseTimeoutException | RuntimeException e) {
      Delivery again = d.with(Delivery.Status.QUEUED, attempts, null, 0);
      if (attempts >= MAX_DELIVERY_ATTEMPTS) {
        finish(d.with(Delivery.Status.FAILED, attempts, clock.instant(), 0));
      } else {
        LOG.debug("deliver_sm {} attempt {} failed: {}", d.id(), attempts, e.toString());
        synchronized (this) {
          deliveries.replace(d.id(), again);
        }
        outbox.addFirst(again);
      }
    } catch (org.jsmpp.InvalidResponseException e) {
      finish(d.with(Delivery.Status.FAILED, attempts, clock.instant(), 0));
    }
  }

  private synchronized void finish(Delivery d) {
    deliveries.replace(d.id(), d);
    if (d.status() == Delivery.Status.DELIVERED) {
      if (d.kind() == Delivery.Kind.RECEIPT) {
        receiptsSent++;
      } else {
        mosSent++;
      }
    }
  }

  private static TypeOfNumber ton(String address) {
    return address.startsWith("+") ? TypeOfNumber.INTERNATIONAL : TypeOfNumber.UNKNOWN;
  }

  private static String plain(String address) {
    return address.startsWith("+") ? address.substring(1) : address;
  }

  // ---------------------------------------------------------------- jSMPP callbacks

  private final class Receiver implements ServerMessageReceiverListener {
    @Override
    public SubmitSmResult onAcceptSubmitSm(SubmitSm submitSm, SMPPServerSession source)
        throws ProcessRequestException {
      return onSubmit(submitSm, source);
    }

    @Override
    public SubmitMultiResult onAcceptSubmitMulti(SubmitMulti submitMulti, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("submit_multi not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public QuerySmResult onAcceptQuerySm(QuerySm querySm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("query_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptReplaceSm(ReplaceSm replaceSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("replace_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptCancelSm(CancelSm cancelSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("cancel_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public BroadcastSmResult onAcceptBroadcastSm(
        org.jsmpp.bean.BroadcastSm broadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("broadcast_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptCancelBroadcastSm(
        CancelBroadcastSm cancelBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("cancel_broadcast_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public QueryBroadcastSmResult onAcceptQueryBroadcastSm(
        QueryBroadcastSm queryBroadcastSm, SMPPServerSession source)
        throws ProcessRequestException {
      throw new ProcessRequestException("query_broadcast_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public DataSmResult onAcceptDataSm(DataSm dataSm, Session source)
        throws ProcessRequestException {
      throw new ProcessRequestException("data_sm not supported", SMPPConstant.STAT_ESME_RINVCMDID);
    }

    @Override
    public void onAcceptEnquireLink(EnquireLink enquireLink, Session source) {
      enquireLinks.incrementAndGet(); // jSMPP answers enquire_link_resp itself
    }
  }

  private final class RespListener implements ServerResponseDeliveryListener {
    @Override
    public void onSubmitSmRespSent(SubmitSmResult result, SMPPServerSession source) {
      SubmittedPart part = awaitingResp.remove(result.getMessageId());
      if (part != null && running) {
        scheduleReceipt(part);
      }
    }

    @Override
    public void onSubmitSmRespError(SubmitSmResult result, Exception cause, SMPPServerSession source) {
      awaitingResp.remove(result.getMessageId()); // the ESME never learnt the id
    }

    @Override
    public void onSubmitMultiRespSent(SubmitMultiResult result, SMPPServerSession source) {}

    @Override
    public void onSubmitMultiRespError(
        SubmitMultiResult result, Exception cause, SMPPServerSession source) {}
  }

  private final class StateListener implements SessionStateListener {
    @Override
    public void onStateChange(SessionState newState, SessionState oldState, Session source) {
      if (newState == SessionState.CLOSED || newState == SessionState.UNBOUND) {
        if (bound.remove(source.getSessionId()) != null) {
          LOG.info("SMSC simulator session {} {}", source.getSessionId(), newState);
        }
        if (newState == SessionState.CLOSED) {
          sessions.remove(source.getSessionId());
        }
      }
    }
  }

  /** Hands jSMPP the socket bound in the constructor, so that port 0 works and is known. */
  private final class BoundSocketFactory implements ServerConnectionFactory {
    @Override
    public ServerConnection listen(int port) {
      return connection();
    }

    @Override
    public ServerConnection listen(int port, int timeout) {
      return connection();
    }

    @Override
    public ServerConnection listen(int port, int timeout, int backlog) {
      return connection();
    }

    private ServerConnection connection() {
      return new ServerConnection() {
        @Override
        public Connection accept() throws IOException {
          Socket socket = serverSocket.accept();
          socket.setTcpNoDelay(true); // deliver_sm and responses go out several at once (window)
          return new SocketConnection(socket);
        }

        @Override
        public void setSoTimeout(int timeout) throws IOException {
          serverSocket.setSoTimeout(timeout);
        }

        @Override
        public int getSoTimeout() throws IOException {
          return serverSocket.getSoTimeout();
        }

        @Override
        public void close() throws IOException {
          serverSocket.close();
        }
      };
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  // ---------------------------------------------------------------- standalone

  /**
   * {@code java -cp haochaping-gateway.jar org.haochaping.gateway.sim.SmscSimulator --port 2775
   * --control-port 8775}; see {@code docs/smsc-simulator.md}.
   */
  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = parseArgs(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    if (settings == null) {
      System.out.println(usage());
      return;
    }
    SmscSimulator smsc = start(settings);
    Runtime.getRuntime().addShutdownHook(new Thread(smsc::stop, "smsc-sim-shutdown"));
    System.out.println(
        "SMSC simulator listening on " + settings.host() + ":" + smsc.port()
            + (smsc.controlPort() >= 0 ? ", control API on port " + smsc.controlPort() : "")
            + " (system_id " + settings.systemId() + ")");
    smsc.awaitStop();
  }

  /** Parses the command line; null for {@code --help}. */
  static Settings parseArgs(String[] args) {
    Settings s = Settings.defaults().withPort(2775).withControlPort(8775);
    String systemId = s.systemId();
    String password = s.password();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--help") || arg.equals("-h")) {
        return null;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--port" -> s = s.withPort(intArg(arg, value));
        case "--control-port" -> s = s.withControlPort(intArg(arg, value));
        case "--host" -> s = s.withHost(value);
        case "--system-id" -> systemId = value;
        case "--password" -> password = value;
        case "--max-binds" -> s = s.withMaxBinds(intArg(arg, value));
        case "--max-tps" -> s = s.withMaxTps(intArg(arg, value));
        case "--receipt-delay-ms" -> s = s.withReceiptDelay(Duration.ofMillis(intArg(arg, value)));
        case "--strict" -> s = s.withStrict(Boolean.parseBoolean(value));
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return s.withCredentials(systemId, password);
  }

  private static int intArg(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " needs a number: " + value);
    }
  }

  static String usage() {
    return String.join(
        "\n",
        "usage: sim smsc [options]",
        "  --port N              SMPP port (default 2775, 0 = any free port)",
        "  --control-port N      HTTP control port (default 8775, 0 = any, -1 = none)",
        "  --host ADDR           listen address (default 127.0.0.1; 0.0.0.0 in a container)",
        "  --system-id ID        system_id the gateway binds with (default hcpgw)",
        "  --password PW         password (default hcpsim01)",
        "  --max-binds N         the account's bind limit (default 4)",
        "  --max-tps N           submit_sm per second before ESME_RTHROTTLED (default 0 = no limit)",
        "  --receipt-delay-ms N  delay of delivery receipts (default 0)",
        "  --strict true|false   refuse over-long / odd UCS-2 parts with ESME_RINVMSGLEN (default true)");
  }
}
