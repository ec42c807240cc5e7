package org.haochaping.gateway.sms;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import org.apache.camel.Exchange;
import org.apache.camel.component.smpp.MessageReceiverListenerImpl;
import org.apache.camel.component.smpp.SmppConfiguration;
import org.apache.camel.component.smpp.SmppException;
import org.apache.camel.support.DefaultProducer;
import org.jsmpp.DefaultPDUReader;
import org.jsmpp.DefaultPDUSender;
import org.jsmpp.InvalidResponseException;
import org.jsmpp.SynchronizedPDUSender;
import org.jsmpp.bean.BindType;
import org.jsmpp.bean.InterfaceVersion;
import org.jsmpp.bean.NumberingPlanIndicator;
import org.jsmpp.bean.TypeOfNumber;
import org.jsmpp.extra.ResponseTimeoutException;
import org.jsmpp.extra.SessionState;
import org.jsmpp.session.BindParameter;
import org.jsmpp.session.MessageReceiverListener;
import org.jsmpp.session.SMPPSession;
import org.jsmpp.session.Session;
import org.jsmpp.session.connection.ConnectionFactory;
import org.jsmpp.session.connection.socket.SocketConnection;
import org.jsmpp.util.DefaultComposer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camel-smpp producer the gateway uses: one {@code bind_transceiver} that carries submit_sm
 * out and delivery receipts and replies (deliver_sm) in.
 *
 * <p>camel-smpp's own producer binds as a transmitter (or a transceiver with
 * messageReceiverRouteId) and reconnects at a fixed interval; this one keeps camel-smpp's commands,
 * binding and message mapping but owns the session: it binds in the background (the gateway starts
 * while the SMSC is down), rebinds after a drop with exponential backoff and jitter, keeps the link
 * alive with enquire_link, limits submits awaiting a response to the window size, paces them to
 * the SMSC's TPS ({@link SubmitPacer}), and makes a submit wait for the bind instead of failing
 * while the link is being re-established.
 */
final class SmscTransceiver extends DefaultProducer {

  private static final Logger LOG = LoggerFactory.getLogger(SmscTransceiver.class);

  private final SmscEndpoint endpoint;
  private final SmsSettings settings;
  private final SmscLink link;
  private final Semaphore window;
  private final SubmitPacer pacer;
  private final ReconnectBackoff backoff;
  private final Object changed = new Object();
  private volatile SMPPSession session;
  private volatile boolean running;
  private MessageReceiverListener receiver;
  private Thread binder;

  SmscTransceiver(SmscEndpoint endpoint, SmsSettings settings, SmscLink link, SubmitPacer pacer) {
    super(endpoint);
    this.endpoint = endpoint;
    this.settings = settings;
    this.link = link;
    this.pacer = pacer;
    this.window = new Semaphore(settings.windowSize(), true);
    this.backoff = new ReconnectBackoff(settings.reconnectInitial(), settings.reconnectMax());
  }

  @Override
  protected void doStart() throws Exception {
    super.doStart();
    SmppConfiguration cfg = endpoint.getConfiguration();
    // camel-smpp's listener turns each deliver_sm into an exchange of the receiver route; when that
    // route fails, the SMSC gets a negative deliver_sm_resp and delivers again later.
    receiver = new MessageReceiverListenerImpl(endpoint, cfg.getMessageReceiverRouteId());
    running = true;
    binder = new Thread(this::keepBound, "smsc-binder");
    binder.setDaemon(true);
    binder.start();
  }

  @Override
  public void process(Exchange exchange) throws Exception {
    while (true) {
      SMPPSession s = awaitBound();
      window.acquire();
      try {
        // the TPS ticket is taken last, right before the PDU is written, and returned with its response
        long ticket = pacer.acquire();
        try {
          endpoint.getBinding().createSmppCommand(s, exchange).execute(exchange);
          return;
        } finally {
          pacer.done(ticket);
        }
      } catch (SmppException e) {
        if (notReceived(e, s)) {
          // the link dropped before or while the PDU was written: the SMSC cannot have a whole
          // submit_sm, so waiting for the rebind and sending it then cannot duplicate it
          LOG.debug("submit_sm not written ({}); waiting for the rebind", e.getCause().getMessage());
          continue;
        }
        if (inDoubt(e)) {
          // written, but no submit_sm_resp: the SMSC may have it. SMPP has no idempotent submit, so
          // the retry sends it again, with the same UDH reference (docs/sms.md "Parts in doubt")
          link.submitInDoubt();
          LOG.warn("{}: submit_sm written but no submit_sm_resp ({}); the SMSC may have it, and the retry sends it again",
              exchange.getProperty(SmsOutbox.PART, SmsPart.class), e.getCause().getMessage());
        }
        throw SmscException.classify(e, settings.permanentStatuses());
      } finally {
        window.release();
      }
    }
  }

  /**
   * jSMPP throws an {@link IOException} only before the submit_sm is written ("Cannot submit_sm while
   * session ... in state CLOSED") or when writing it fails (the socket closed under it): either way
   * the SMSC never received a whole PDU. jSMPP closes the session when the write fails, so an
   * {@link IOException} on a session still bound is something else, and is not retried here.
   */
  private static boolean notReceived(SmppException e, SMPPSession s) {
    return e.getCause() instanceof IOException && !s.getSessionState().isBound();
  }

  /** Written, and then no answer: the response timed out, or the link dropped while it was awaited. */
  private static boolean inDoubt(SmppException e) {
    return e.getCause() instanceof ResponseTimeoutException || e.getCause() instanceof InvalidResponseException;
  }

  /** The bound session; waits while the link is (re)binding, fails only when the gateway stops. */
  private SMPPSession awaitBound() throws SmscException, InterruptedException {
    while (true) {
      SMPPSession s = session;
      if (s != null && s.getSessionState().isBound()) {
        return s;
      }
      if (!running || !isRunAllowed() || endpoint.getCamelContext().isStopping()) {
        throw SmscException.unavailable("not bound to " + link.description() + ": the gateway is stopping");
      }
      synchronized (changed) {
        changed.wait(500);
      }
    }
  }

  private void keepBound() {
    while (running) {
      SMPPSession s = session;
      if (s != null && s.getSessionState().isBound()) {
        pause(Duration.ofSeconds(1));
        continue;
      }
      try {
        bind();
        backoff.reset();
      } catch (Exception e) {
        if (!running) {
          break;
        }
        Duration wait = backoff.next();
        String why = e.getMessage() == null ? e.toString() : e.getMessage();
        link.failed(why, wait.toMillis());
        LOG.warn("SMSC {}: bind failed ({}); next attempt in {} ms", link.description(), why, wait.toMillis());
        pause(wait);
      }
    }
  }

  private void bind() throws IOException {
    SmppConfiguration cfg = endpoint.getConfiguration();
    link.connecting();
    SMPPSession s = new SMPPSession(new SynchronizedPDUSender(new DefaultPDUSender(new DefaultComposer())),
        new DefaultPDUReader(), noDelay((int) settings.enquireLink().toMillis()));
    s.setEnquireLinkTimer((int) settings.enquireLink().toMillis());
    s.setTransactionTimer(settings.transactionTimer().toMillis());
    s.setPduProcessorDegree(cfg.getPduProcessorDegree());
    s.setQueueCapacity(cfg.getPduProcessorQueueCapacity());
    s.setMessageReceiverListener(receiver);
    s.addSessionStateListener(this::onStateChange);
    try {
      String smscId = s.connectAndBind(cfg.getHost(), cfg.getPort(),
          new BindParameter(BindType.BIND_TRX, cfg.getSystemId(), cfg.getPassword(), cfg.getSystemType(),
              TypeOfNumber.UNKNOWN, NumberingPlanIndicator.UNKNOWN, null, InterfaceVersion.IF_34),
          settings.bindTimeout().toMillis());
      session = s;
      link.bound(smscId);
      LOG.info("SMSC {}: bound as transceiver (system_id {}, SMSC {})", link.description(), cfg.getSystemId(), smscId);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /**
   * Plain TCP with Nagle's algorithm off. The window puts several small PDUs on the wire at once, and
   * receipts come the other way meanwhile; with Nagle each write waited for the ACK of the one before
   * (measured: 65–83 submit_sm/s at TPS 100 while receipts came in, instead of 100; docs/benchmarks.md "SMS").
   */
  private static ConnectionFactory noDelay(int connectTimeoutMillis) {
    return (host, port) -> {
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
        return new SocketConnection(socket);
      } catch (IOException | RuntimeException e) {
        socket.close();
        throw e;
      }
    };
  }

  private void onStateChange(SessionState newState, SessionState oldState, Session source) {
    if (source == session && !newState.isBound()) {
      session = null;
      link.dropped("link " + newState.name().toLowerCase() + " after " + oldState.name());
      LOG.warn("SMSC {}: {} (was {}); rebinding", link.description(), newState, oldState);
      synchronized (changed) {
        changed.notifyAll();
      }
    }
  }

  private void pause(Duration d) {
    synchronized (changed) {
      try {
        changed.wait(Math.max(1, d.toMillis()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  @Override
  protected void doStop() throws Exception {
    running = false;
    synchronized (changed) {
      changed.notifyAll();
    }
    if (binder != null) {
      binder.interrupt();
      binder.join(2_000);
    }
    SMPPSession s = session;
    session = null;
    if (s != null) {
      // A polite unbind, but never a long wait for its response on the way down.
      s.setTransactionTimer(Math.min(2_000, settings.transactionTimer().toMillis()));
      s.unbindAndClose();
    }
    link.stopped();
    super.doStop();
  }
}
