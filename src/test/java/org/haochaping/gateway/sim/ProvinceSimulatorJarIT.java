package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.haochaping.gateway.province.envelope.ProvinceEnvelopes;
import org.junit.jupiter.api.Test;

/**
 * {@code java -jar haochaping-gateway.jar sim province}: the standalone simulator starts from the
 * packaged jar, says where it listens and what the gateway needs, and takes a sealed case.
 */
class ProvinceSimulatorJarIT {

  @Test
  void standaloneSimulatorRunsFromTheFatJar() throws Exception {
    String jar = System.getProperty("hcp.jar", "target/haochaping-gateway.jar");
    Process sim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar,
        "sim", "province", "--port", "0", "--province", "guangdong", "--envelope", "hmac-json").redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(sim.getInputStream(), StandardCharsets.UTF_8))) {
      String secret = null;
      String url = null;
      Pattern listening = Pattern.compile("HCP_PROVINCE_URL=(http://127\\.0\\.0\\.1:\\d+)");
      for (String line = out.readLine(); line != null && url == null; line = out.readLine()) {
        if (line.strip().startsWith("HCP_PROVINCE_SECRET=")) {
          secret = line.strip().substring("HCP_PROVINCE_SECRET=".length());
        }
        Matcher m = listening.matcher(line);
        if (m.find()) {
          url = m.group(1);
        }
      }
      assertThat(secret).as("the generated secret is printed for the gateway").isNotBlank();
      assertThat(url).as("the address is printed").isNotNull();

      SimulatorClient client = new SimulatorClient(url, ProvinceEnvelopes.create("hmac-json",
          Map.of("appKey", "hcp-gateway", "secret", secret)));
      HttpResponse<String> pushed = client.send("/api/cases", NationalRecords.payload(NationalRecords.caseRecord("JAR-1", Clock.systemUTC())));
      assertThat(pushed.statusCode()).isEqualTo(200);
      JsonNode answer = SimulatorClient.json(pushed);
      assertThat(answer.path("results").get(0).path("code").asText()).isEqualTo("0000");
      assertThat(SimulatorClient.json(client.get("/sim/stats")).path("casesAccepted").asInt()).isEqualTo(1);
    } finally {
      sim.destroy();
      assertThat(sim.waitFor(20, TimeUnit.SECONDS)).as("stops on SIGTERM").isTrue();
    }
    assertThat(List.of(0, 143)).contains(sim.exitValue());
  }
}
