package org.haochaping.gateway;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.haochaping.gateway.broker.StandaloneBroker;
import org.haochaping.gateway.sim.ProvinceSimulatorCommand;
import org.haochaping.gateway.sim.SmscSimulator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar haochaping-gateway.jar} runs the gateway with its embedded defaults;
 * {@code ... broker} runs only the Artemis broker several gateway nodes share;
 * {@code ... sim province|smsc} runs a simulated peer on its own.
 */
@Command(
    name = "haochaping-gateway",
    mixinStandardHelpOptions = true,
    versionProvider = Gateway.Version.class,
    description = "好差评 integration gateway: every rating channel in, the provincial system out.",
    subcommands = {Gateway.Run.class, Gateway.Broker.class, Gateway.Sim.class})
public final class Gateway implements Callable<Integer> {

  public static void main(String[] args) {
    // Route java.util.logging (used by some libraries) through log4j2 like everything else.
    System.setProperty("java.util.logging.manager", "org.apache.logging.log4j.jul.LogManager");
    CommandLine cli = new CommandLine(new Gateway());
    // A configuration mistake is told in one line, not a stack trace.
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof IllegalStateException || cause instanceof IllegalArgumentException)) {
        cause = cause.getCause();
      }
      if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
        System.err.println("haochaping-gateway cannot start: " + cause.getMessage());
        return 2;
      }
      throw e;
    });
    int code = cli.execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** No subcommand: run the gateway. */
  @Override
  public Integer call() throws Exception {
    return new Run().call();
  }

  @Command(name = "run", mixinStandardHelpOptions = true,
      description = "Runs the gateway (the default). Configuration by HCP_* environment variables, see README.")
  static final class Run implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      Main main = new Main() {
        /*
         * Camel main pre-parses every route file before loading it, looking for Camel-K modelines and
         * YAML `beans:` blocks; the gateway's routes have neither (their beans come from
         * GatewayConfiguration), and the pass costs a quarter of a second of start-up.
         */
        @Override
        protected void modelineRoutes(CamelContext camelContext) {}
      };
      main.configure().addConfiguration(GatewayConfiguration.class);
      main.addMainListener(new MainListenerSupport() {
        @Override
        public void afterStart(BaseMainSupport started) {
          // Start-up leaves some 100 MB of garbage (route parsing, migrations, class loading) that G1 keeps
          // until a collection it has no reason to run on an idle gateway: one full collection, 10 s after
          // ready, gives it back to the system (idle RSS about 250 MB instead of 340 MB, docs/benchmarks.md).
          // Once only, and not in the start-up's path.
          CompletableFuture.runAsync(System::gc, CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS));
        }
      });
      if (ClasspathFolder.inJar()) {
        // The route files by name: the wildcard in application.properties makes Camel walk the whole jar.
        // An override property: application.properties is applied after main.configure() and would put the
        // wildcard back.
        main.addOverrideProperty("camel.main.routesIncludePattern", String.join(",",
            ClasspathFolder.list("routes", ".camel.yaml").stream().map(r -> "classpath:" + r).toList()));
      }
      main.run();
      return main.getExitCode();
    }
  }

  @Command(name = "broker", mixinStandardHelpOptions = true,
      description = "Runs only the Artemis broker that several gateway nodes share (docs/deployment.md). "
          + "HCP_DATA_DIR, HCP_BROKER_CORE_ACCEPTOR (tcp://0.0.0.0:61616), HCP_BROKER_USER/HCP_BROKER_PASSWORD, "
          + "HCP_MQTT_PORT (-1: none) with HCP_DB_URL for evaluator logins.")
  static final class Broker implements Callable<Integer> {
    @Override
    public Integer call() throws Exception {
      return new StandaloneBroker(System.getenv()).run();
    }
  }

  @Command(name = "sim", mixinStandardHelpOptions = true,
      description = "Runs a simulated peer for tests and demos (never a real province or carrier).",
      subcommands = {ProvinceSimulatorCommand.class, Gateway.Smsc.class})
  static final class Sim implements Callable<Integer> {
    @Override
    public Integer call() {
      CommandLine.usage(this, System.out);
      return 0;
    }
  }

  @Command(name = "smsc", description = "Runs the SMSC simulator (a real SMPP server). Options: --port 2775 --control-port 8775 ...",
      mixinStandardHelpOptions = false)
  static final class Smsc implements Callable<Integer> {
    @CommandLine.Unmatched
    String[] args = new String[0];

    @Override
    public Integer call() throws Exception {
      SmscSimulator.main(args);
      return 0;
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Gateway.class.getPackage().getImplementationVersion();
      return new String[] {"haochaping-gateway " + (v == null ? "dev" : v)};
    }
  }
}
