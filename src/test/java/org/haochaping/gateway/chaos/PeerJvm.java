package org.haochaping.gateway.chaos;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the packaged jar's other modes as its own JVM: {@code broker}, {@code sim province},
 * {@code sim smsc}. Started again with the same arguments, environment and data directory after a
 * stop or a kill, the way an operator restarts a peer.
 */
final class PeerJvm implements AutoCloseable {

  private final String name;
  private final Path dir;
  private final List<String> args;
  private final Map<String, String> env;
  private final int readyPort;
  private Process process;

  /**
   * @param readyPort the JVM counts as started once this port on 127.0.0.1 takes connections
   */
  PeerJvm(String name, Path dir, List<String> args, Map<String, String> env, int readyPort) {
    this.name = name;
    this.dir = dir;
    this.args = args;
    this.env = env;
    this.readyPort = readyPort;
  }

  PeerJvm start() throws IOException {
    String jar = System.getProperty("hcp.jar", "target/haochaping-gateway.jar");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar", jar));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HCP_DATA_DIR", dir.toString());
    pb.environment().putAll(env);
    pb.redirectErrorStream(true);
    pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    process = pb.start();
    await(name + " listening on " + readyPort).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ", see " + dir.resolve(name + ".log"));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", readyPort), 500);
        return true;
      }
    });
    return this;
  }

  /** SIGTERM and wait for the JVM to end (a clean stop). */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor();
      }
    }
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
      process.waitFor();
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
