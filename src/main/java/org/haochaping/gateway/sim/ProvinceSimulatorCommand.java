package org.haochaping.gateway.sim;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.haochaping.gateway.province.ProvinceCodeTables;
import org.haochaping.gateway.province.envelope.Sm2KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code sim province}: runs the provincial platform simulator until interrupted. Register it as a
 * subcommand of the gateway's {@code sim} command; {@link ProvinceSimulator#main} runs it alone.
 *
 * <p>Secrets come from options or environment variables. When none is given the command makes up
 * demo credentials and prints them on standard output (the simulator is a test peer; the values
 * are what the gateway's connector properties need).
 */
@Command(
    name = "province",
    mixinStandardHelpOptions = true,
    description = "Runs a simulated provincial 好差评 platform (NOT a real province) for tests and demos.")
public final class ProvinceSimulatorCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--port", defaultValue = "9080", description = "Port to listen on (0 = any free port). Default: ${DEFAULT-VALUE}")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind (0.0.0.0 = all). Default: ${DEFAULT-VALUE}")
  String host;

  @Option(names = "--province", defaultValue = "guangdong", description = "Code tables to use: guangdong | guangxi. Default: ${DEFAULT-VALUE}")
  String province;

  @Option(names = "--envelope", defaultValue = "hmac-json", description = "hmac-json | sm2-sm4. Default: ${DEFAULT-VALUE}")
  String envelope;

  @Option(names = "--app-key", defaultValue = "hcp-gateway", description = "hmac-json: the gateway's appKey. Default: ${DEFAULT-VALUE}")
  String appKey;

  @Option(names = "--secret", defaultValue = "${env:HCP_SIM_SECRET}", description = "hmac-json: shared secret (env HCP_SIM_SECRET)")
  String secret;

  @Option(names = "--app-mark", defaultValue = "hcp-gateway", description = "sm2-sm4: the gateway's appMark. Default: ${DEFAULT-VALUE}")
  String appMark;

  @Option(
      names = "--private-key",
      defaultValue = "${env:HCP_SIM_PRIVATE_KEY}",
      description = "sm2-sm4: the province's SM2 private key, 64 hex (env HCP_SIM_PRIVATE_KEY)")
  String privateKey;

  @Option(
      names = "--peer-public-key",
      defaultValue = "${env:HCP_SIM_PEER_PUBLIC_KEY}",
      description = "sm2-sm4: the gateway's SM2 public key, 04||x||y hex (env HCP_SIM_PEER_PUBLIC_KEY)")
  String peerPublicKey;

  @Option(names = "--max-skew-seconds", defaultValue = "300", description = "Allowed clock difference. Default: ${DEFAULT-VALUE}")
  long maxSkewSeconds;

  @Override
  public Integer call() throws InterruptedException {
    ProvinceSimulator.Settings settings;
    ProvinceSimulator simulator;
    try {
      settings = settings();
      simulator = ProvinceSimulator.start(settings);
    } catch (IllegalArgumentException e) {
      // unknown province or envelope, keys in the wrong shape: a usage error, not a crash
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    System.out.println("Province simulator (" + settings.province() + ", " + settings.envelopeKind() + ") on " + simulator.baseUrl());
    System.out.println("  point the gateway at it: HCP_PROFILE=" + settings.province() + " HCP_PROVINCE_URL=" + simulator.baseUrl());
    System.out.println("  POST /api/cases  POST /api/evaluations  GET /sim/stats  POST /sim/faults  POST /sim/reset");

    // Runs until the JVM is told to stop (Ctrl-C, SIGTERM); the hook closes the listener first.
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  simulator.stop();
                  stopped.countDown();
                },
                "province-simulator-shutdown"));
    stopped.await();
    return 0;
  }

  ProvinceSimulator.Settings settings() {
    ProvinceCodeTables.load(province); // refuse an unknown province before making up credentials
    Map<String, String> envelopeSettings;
    switch (envelope) {
      case "hmac-json" -> {
        if (isBlank(secret)) {
          secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
          System.out.println("No --secret given; demo credentials for the gateway (connector province-" + province + "):");
          System.out.println("  HCP_PROVINCE_APP_KEY=" + appKey);
          System.out.println("  HCP_PROVINCE_SECRET=" + secret);
        }
        envelopeSettings = Map.of("appKey", appKey, "secret", secret, "maxSkewSeconds", Long.toString(maxSkewSeconds));
      }
      case "sm2-sm4" -> {
        if (isBlank(privateKey) || isBlank(peerPublicKey)) {
          Sm2KeyPair provinceKeys = isBlank(privateKey) ? Sm2KeyPair.generate() : Sm2KeyPair.fromPrivateKey(privateKey);
          Sm2KeyPair gatewayKeys = Sm2KeyPair.generate();
          privateKey = provinceKeys.privateKeyHex();
          peerPublicKey = gatewayKeys.publicKeyHex();
          System.out.println("No SM2 keys given; demo keys for the gateway (connector province-" + province + "):");
          System.out.println("  HCP_PROVINCE_APP_MARK=" + appMark);
          System.out.println("  HCP_PROVINCE_SM2_PRIVATE_KEY=" + gatewayKeys.privateKeyHex());
          System.out.println("  HCP_PROVINCE_SM2_PEER_PUBLIC_KEY=" + provinceKeys.publicKeyHex());
        }
        envelopeSettings =
            Map.of(
                "appMark", appMark,
                "privateKey", privateKey,
                "peerPublicKey", peerPublicKey,
                "maxSkewSeconds", Long.toString(maxSkewSeconds));
      }
      default -> throw new IllegalArgumentException("--envelope must be hmac-json or sm2-sm4, was " + envelope);
    }
    return new ProvinceSimulator.Settings(host, port, province, envelope, envelopeSettings, Clock.systemUTC(), System.nanoTime());
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
