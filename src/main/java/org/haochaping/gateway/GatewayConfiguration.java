package org.haochaping.gateway;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.component.micrometer.MicrometerConstants;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.haochaping.gateway.broker.BrokerClient;
import org.haochaping.gateway.broker.BrokerTopology;
import org.haochaping.gateway.broker.DurablePublisher;
import org.haochaping.gateway.broker.EmbeddedBroker;
import org.haochaping.gateway.broker.RatingCodec;
import org.haochaping.gateway.model.ChinaTime;
import org.haochaping.gateway.channel.CaseApi;
import org.haochaping.gateway.channel.CaseEventPublisher;
import org.haochaping.gateway.channel.CaseIntake;
import org.haochaping.gateway.channel.ErrorReplies;
import org.haochaping.gateway.channel.RatingApi;
import org.haochaping.gateway.channel.RatingIntake;
import org.haochaping.gateway.channel.auth.AccessGuard;
import org.haochaping.gateway.channel.auth.AdminApi;
import org.haochaping.gateway.channel.auth.AdminTokens;
import org.haochaping.gateway.channel.auth.AuditLog;
import org.haochaping.gateway.channel.auth.Clients;
import org.haochaping.gateway.channel.auth.Nonces;
import org.haochaping.gateway.channel.auth.RateLimiter;
import org.haochaping.gateway.channel.evaluator.EvaluatorModule;
import org.haochaping.gateway.channel.http.GatewayHttpServer;
import org.haochaping.gateway.channel.http.GatewayUndertowComponent;
import org.haochaping.gateway.ops.BrokerHealthCheck;
import org.haochaping.gateway.ops.DatabaseHealthCheck;
import org.haochaping.gateway.ops.IngestMetrics;
import org.haochaping.gateway.ops.ConsolePages;
import org.haochaping.gateway.ops.ObserveApi;
import org.haochaping.gateway.ops.OverviewApi;
import org.haochaping.gateway.ops.RecentErrors;
import org.haochaping.gateway.ops.RoutesApi;
import org.haochaping.gateway.policy.InputSchema;
import org.haochaping.gateway.policy.PolicyProfile;
import org.haochaping.gateway.policy.Questionnaires;
import org.haochaping.gateway.policy.RatingPolicy;
import org.haochaping.gateway.policy.WorkingDayCalendar;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.sms.SmsModule;
import org.haochaping.gateway.store.CaseStore;
import org.haochaping.gateway.store.Database;
import org.haochaping.gateway.store.IdempotencyKeys;
import org.haochaping.gateway.store.LedgerRecorder;
import org.haochaping.gateway.store.PersonalDataCipher;
import org.haochaping.gateway.store.QuestionnaireAnswers;
import org.haochaping.gateway.store.RatingLedger;
import org.haochaping.gateway.store.RatingHistoryStore;
import org.haochaping.gateway.store.RatingLinks;
import org.haochaping.gateway.timers.LifecycleModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway inside a Camel context: broker, database, policy, intake, HTTP, and binds
 * the beans the YAML routes under {@code routes/} call. Used by the runnable main and by tests alike.
 */
public class GatewayConfiguration implements CamelConfiguration {

  private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

  /** The capabilities plugged into the core, configured in this order. */
  static final List<GatewayModule> MODULES = List.of(
      new LifecycleModule(),
      new org.haochaping.gateway.province.ProvinceForwardingModule(),
      new EvaluatorModule(),
      new SmsModule(),
      new org.haochaping.gateway.channel.ChannelsModule(),
      new org.haochaping.gateway.stats.StatsModule(),
      new org.haochaping.gateway.integrity.IntegrityModule());

  @Override
  public void configure(CamelContext context) throws Exception {
    long started = System.nanoTime();
    GatewaySettings s = GatewaySettings.from(context.getPropertiesComponent());
    // Tests bind a clock of their own (named "clock") to run days in seconds.
    Clock bound = context.getRegistry().lookupByNameAndType("clock", Clock.class);
    Clock clock = bound != null ? bound : Clock.system(ChinaTime.ZONE);
    Files.createDirectories(s.dataDir());
    // The database (Flyway, the longest step of a first start) opens first, beside everything up
    // to the broker's journal, which starts in parallel with it: neither needs the other.
    CompletableFuture<Database> opening = CompletableFuture.supplyAsync(
        () -> Database.open(s.dbUrl(), s.dbUser(), s.dbPassword(), s.dataDir(), s.dbPoolSize()));
    Resources resources = new Resources();
    context.addService(resources, true, true);
    // Closed last, and also when the start fails before the database was needed.
    resources.add(() -> opening.thenAccept(Database::close));

    PolicyProfile profile = PolicyProfile.load(s.profile());
    ProvinceCodeTables codes = ProvinceCodeTables.load(profile.codes());
    Credentials credentials = s.production() ? Credentials.fromEnvironment(s) : Credentials.loadOrCreate(s.dataDir());
    PersonalDataCipher cipher = cipher(s, credentials);

    EmbeddedBroker embedded = null;
    if (s.embeddedBroker()) {
      embedded = EmbeddedBroker.start(s.dataDir(), s.brokerCoreAcceptor(), s.embeddedMqttAcceptor(), s.brokerMinDiskFreeBytes());
      resources.add(embedded);
      // Modules install their MQTT access rules on it; tests restart it in place.
      context.getRegistry().bind("embeddedBroker", embedded);
    }
    String brokerUrl = s.embeddedBroker() ? EmbeddedBroker.IN_VM_URL : s.brokerUrl();
    ActiveMQConnectionFactory cf = BrokerClient.connectionFactory(brokerUrl, s.brokerUser(), s.brokerPassword());
    resources.add(cf);
    BrokerTopology topology = new BrokerTopology(cf.getServerLocator(), s.brokerUser(), s.brokerPassword());
    topology.ensure(BrokerTopology.RATINGS, "ledger");
    topology.ensureAddress(BrokerTopology.CASE_EVENTS);
    ActiveMQConnectionFactory consumers = BrokerClient.consumerConnectionFactory(brokerUrl, s.brokerUser(), s.brokerPassword());
    resources.add(consumers);
    context.addComponent("jms", JmsComponent.jmsComponent(consumers));
    DurablePublisher publisher = new DurablePublisher(cf, s.publisherLanes());
    resources.add(publisher);

    Database db;
    try {
      db = opening.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }

    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    List.of(new JvmMemoryMetrics(), new JvmGcMetrics(), new JvmThreadMetrics(), new ClassLoaderMetrics(),
        new ProcessorMetrics(), new UptimeMetrics()).forEach(b -> b.bindTo(meters));
    context.getRegistry().bind(MicrometerConstants.METRICS_REGISTRY_NAME, meters);
    context.addRoutePolicyFactory(new MicrometerRoutePolicyFactory());
    IngestMetrics metrics = new IngestMetrics(meters);

    RatingPolicy policy = new RatingPolicy(profile, codes, clock, calendar(context));
    CaseStore cases = new CaseStore(db, cipher, clock);
    IdempotencyKeys keys = new IdempotencyKeys(db, clock);
    resources.add(keys);
    Questionnaires questionnaires = questionnaires(context);
    RatingLedger ledger = new RatingLedger(db, cipher, clock, new QuestionnaireAnswers(db, questionnaires));
    RatingCodec codec = new RatingCodec(cipher);
    CaseIntake caseIntake = new CaseIntake(InputSchema.load("case.v1.schema.json"), InputSchema.load("case-event.v1.schema.json"),
        policy.caseRules(), cases, metrics, clock, new CaseEventPublisher(publisher, s.sendTimeout()));
    RatingIntake ratingIntake = new RatingIntake(InputSchema.load("rating.v1.schema.json"), caseIntake, policy, cases, keys,
        publisher, codec, metrics, s.sendTimeout(), new RatingHistoryStore(db), questionnaires);
    resources.add(ratingIntake::close);
    LedgerRecorder recorder = new LedgerRecorder(ledger, codec, metrics, 256);
    resources.add(recorder);

    GatewayHttpServer http = new GatewayHttpServer(new GatewayHttpServer.Settings(s.httpHost(), s.httpPort(),
        Math.max(2, Runtime.getRuntime().availableProcessors()), s.httpWorkerThreads(), s.maxBodyBytes(), s.maxBatchBytes()));
    resources.add(http::stop);
    context.addComponent("undertow", new GatewayUndertowComponent(http));
    context.addStartupListener(new org.apache.camel.StartupListener() {
      @Override
      public void onCamelContextStarted(org.apache.camel.CamelContext started, boolean alreadyStarted) {
        // not yet: this is called before the routes start
      }

      @Override
      public void onCamelContextFullyStarted(org.apache.camel.CamelContext started, boolean alreadyStarted) {
        http.routesStarted();
      }
    });

    HealthCheckRegistry health = HealthCheckRegistry.get(context);
    EmbeddedBroker embeddedBroker = embedded;
    BrokerHealthCheck brokerHealth = new BrokerHealthCheck(topology,
        s.embeddedBroker() ? "embedded Artemis (" + s.dataDir().resolve("broker") + ")" : s.brokerUrl(),
        embeddedBroker == null ? java.util.Optional::empty : embeddedBroker::diskProblem,
        // not ready while the publisher reconnects: every send would be refused
        publisher::problem);
    resources.add(brokerHealth::shutdown);
    health.register(brokerHealth);
    health.register(new DatabaseHealthCheck(db));

    // Who may call is judged on the wall clock: a signature's timestamp is real time, also when a
    // test runs the rules on a simulated clock.
    Clock wallClock = Clock.system(ChinaTime.ZONE);
    Clients clients = new Clients(db, cipher, wallClock);
    if (s.production()) {
      // A demo client left from a trial run must not survive into production.
      clients.find("demo").ifPresent(demo -> clients.setStatus("demo", "DISABLED"));
    } else {
      clients.ensure(credentials.get("client.demo.appKey"), "demo client (generated)", credentials.get("client.demo.secret"), 0);
    }
    AdminTokens adminTokens = new AdminTokens(db, wallClock);
    adminTokens.ensure(credentials.get("admin.token"), "bootstrap", AdminTokens.Role.OPERATOR);
    AuditLog audit = new AuditLog(db, wallClock);
    Nonces nonces = new Nonces(db, wallClock);
    resources.add(nonces);

    var registry = context.getRegistry();
    registry.bind("accessGuard", new AccessGuard(clients, nonces, adminTokens, audit, new RateLimiter(), wallClock));
    registry.bind("nonces", nonces);
    registry.bind("adminApi", new AdminApi(clients, adminTokens, audit));
    registry.bind("deadLetterAdminApi", new org.haochaping.gateway.ops.DeadLetterAdminApi(audit, meters));
    RecentErrors recentErrors = new RecentErrors(clock);
    context.getManagementStrategy().addEventNotifier(recentErrors);
    registry.bind("routesApi", new RoutesApi(meters));
    registry.bind("overviewApi", new OverviewApi(ledger, meters, recentErrors, clock));
    http.addPrefix("/console", ConsolePages.handler());
    registry.bind("settings", s);
    registry.bind("policy", policy);
    registry.bind("database", db);
    registry.bind("caseStore", cases);
    registry.bind("ratingLedger", ledger);
    registry.bind("ratingIntake", ratingIntake);
    registry.bind("questionnaires", questionnaires);
    registry.bind("questionnaireAnswers", new QuestionnaireAnswers(db, questionnaires));
    registry.bind("caseIntake", caseIntake);
    registry.bind("ratingApi", new RatingApi(ratingIntake, ledger, keys, s.maxBatchItems()));
    registry.bind("caseApi", new CaseApi(caseIntake));
    registry.bind("observeApi", new ObserveApi(meters));
    registry.bind("ledgerRecorder", recorder);
    registry.bind("errorReplies", new ErrorReplies());
    registry.bind("credentials", credentials);

    GatewayCore core = new GatewayCore(s, clock, profile, codes, policy, credentials, cipher, db, cases, ledger,
        new RatingLinks(db, clock), cf, topology,
        publisher, codec, caseIntake, ratingIntake, http, meters, metrics, health, clients, adminTokens, audit, recentErrors, resources::add);
    registry.bind("gatewayCore", core);
    for (GatewayModule module : MODULES) {
      module.configure(context, core);
    }
    // Every queue the modules declared: its backlog, scraped from the broker.
    for (BrokerTopology.Queue queue : topology.queues()) {
      io.micrometer.core.instrument.Gauge.builder("hcp.broker.queue.depth", brokerHealth, b -> b.depth(queue.name()))
          .description("Messages waiting in a broker queue").tag("queue", queue.name()).register(meters);
    }
    LOG.info("Gateway configured in {} ms: profile {} ({}), data in {}", (System.nanoTime() - started) / 1_000_000,
        profile.profile(), profile.title(), s.dataDir().toAbsolutePath());
  }

  /** The official working-day calendar: the shipped mappings/calendar/, or HCP_CALENDAR_DIR when set. */
  private static WorkingDayCalendar calendar(CamelContext context) {
    String dir = context.getPropertiesComponent().resolveProperty("hcp.calendar.dir").map(String::strip).orElse("");
    return dir.isEmpty() ? WorkingDayCalendar.fromClasspath() : WorkingDayCalendar.fromDirectory(java.nio.file.Path.of(dir));
  }

  /**
   * The service items' questionnaires (000 第八条): {@code mappings/questionnaires/*.yaml} shipped in the jar, or every
   * {@code *.yaml} in HCP_QUESTIONNAIRES_DIR when set. A broken file stops the start, naming the file and the field.
   */
  private static Questionnaires questionnaires(CamelContext context) throws Exception {
    String dir = context.getPropertiesComponent().resolveProperty("hcp.questionnaires.dir").map(String::strip).orElse("");
    List<Questionnaires.Source> sources = new ArrayList<>();
    if (!dir.isEmpty()) {
      try (var files = Files.list(java.nio.file.Path.of(dir))) {
        for (java.nio.file.Path f : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList()) {
          sources.add(new Questionnaires.Source(f.toString(), Files.readString(f)));
        }
      }
    } else {
      for (String path : ClasspathFolder.list("mappings/questionnaires", ".yaml")) {
        try (var in = GatewayConfiguration.class.getClassLoader().getResourceAsStream(path)) {
          sources.add(new Questionnaires.Source(path, new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
        }
      }
    }
    Questionnaires q = Questionnaires.load(sources);
    LOG.info("Questionnaires (000 第八条) for {} service item(s)", q.all().size());
    return q;
  }

  private static PersonalDataCipher cipher(GatewaySettings s, Credentials credentials) {
    String current = s.dataKey().isBlank() ? credentials.get("data.key") : s.dataKey();
    List<byte[]> previous = new ArrayList<>();
    for (String k : s.previousDataKeys().split(",")) {
      if (!k.isBlank()) {
        previous.add(Base64.getDecoder().decode(k.strip()));
      }
    }
    if (!s.production() && !s.dataKey().isBlank() && credentials.get("data.key") != null
        && !credentials.get("data.key").equals(s.dataKey())) {
      // Rows sealed with the generated key before HCP_DATA_KEY was set stay readable.
      previous.add(Base64.getDecoder().decode(credentials.get("data.key")));
    }
    return new PersonalDataCipher(Base64.getDecoder().decode(current), previous);
  }

  /** Closes what the gateway opened, last opened first, when the Camel context stops. */
  static final class Resources extends ServiceSupport {
    private final List<AutoCloseable> opened = new ArrayList<>();

    synchronized void add(AutoCloseable resource) {
      opened.add(resource);
    }

    @Override
    protected synchronized void doStop() {
      for (int i = opened.size() - 1; i >= 0; i--) {
        try {
          opened.get(i).close();
        } catch (Exception e) {
          LOG.warn("while stopping {}: {}", opened.get(i), e.getMessage());
        }
      }
      opened.clear();
    }
  }
}
