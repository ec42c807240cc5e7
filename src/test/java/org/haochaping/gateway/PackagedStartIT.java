package org.haochaping.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.haochaping.gateway.support.GatewayProcess;
import org.haochaping.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The packaged jar, started as README starts it, loads its route files by name: Camel main applies
 * application.properties after the code that configures it, and the wildcard there (which the tests
 * need, running from the classes directory) would otherwise make Camel inflate every entry of the
 * jar at each start — a second of start-up (docs/benchmarks.md, start-up).
 */
class PackagedStartIT {

  @Test
  void loadsTheRouteFilesByNameNotByScanningTheJar() throws Exception {
    Path dir = Files.createTempDirectory(Files.createDirectories(Path.of("target", "test-data")), "PackagedStartIT-");
    try (GatewayProcess gateway = new GatewayProcess(dir, GatewayTestSupport.freePort(), Map.of()).start()) {
      String log = Files.readString(dir.resolve("gateway.log"));
      assertThat(log).contains("Routes startup (total:");
      // Camel main lists every option it took from application.properties; the wildcard must not be one
      assertThat(log).doesNotContain("camel.main.routesIncludePattern");
    }
  }
}
