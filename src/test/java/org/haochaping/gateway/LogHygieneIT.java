package org.haochaping.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * The logs of the whole test run — every route test's gateway (surefire output) and every gateway
 * JVM the integration tests started — hold no unmasked mobile number or resident ID number.
 * Runs last among the integration tests ({@code @Order}), after the route tests of surefire.
 */
@Order(Integer.MAX_VALUE)
class LogHygieneIT {

  static final Pattern MOBILE = Pattern.compile("(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])");
  static final Pattern ID_NUMBER =
      Pattern.compile("(?<![0-9A-Za-z])[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx](?![0-9A-Za-z])");

  @Test
  void logsHoldNoMobileOrIdNumber() throws IOException {
    List<Path> logs = new ArrayList<>();
    for (String dir : List.of("target/surefire-reports", "target/surefire-reports-postgresql", "target/failsafe-reports",
        "target/failsafe-reports-postgresql", "target/test-data")) {
      Path d = Path.of(dir);
      if (Files.isDirectory(d)) {
        try (Stream<Path> files = Files.walk(d)) {
          files.filter(f -> f.toString().endsWith("-output.txt") || f.getFileName().toString().endsWith(".log")).forEach(logs::add);
        }
      }
    }
    assertThat(logs).as("log files of this run").isNotEmpty();
    List<String> leaks = new ArrayList<>();
    for (Path log : logs) {
      String text;
      try {
        text = Files.readString(log, StandardCharsets.UTF_8);
      } catch (MalformedInputException e) {
        text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
      }
      for (Pattern p : List.of(MOBILE, ID_NUMBER)) {
        Matcher m = p.matcher(text);
        while (m.find() && leaks.size() < 20) {
          int start = Math.max(0, m.start() - 80);
          leaks.add(log + ": ..." + text.substring(start, Math.min(text.length(), m.end() + 40)).replace('\n', ' ') + "...");
        }
      }
    }
    assertThat(leaks).as("unmasked personal data in logs").isEmpty();
  }

  @Test
  void thePatternsFindWhatTheyLookFor() {
    assertThat(MOBILE.matcher("mobile=13812340000,").find()).isTrue();
    assertThat(MOBILE.matcher("mobile=138****0000").find()).isFalse();
    assertThat(MOBILE.matcher("ts=1764000000000").find()).isFalse();
    assertThat(MOBILE.matcher("手机13812340000。").find()).isTrue();
    // hex digits of an id are not a mobile number
    assertThat(MOBILE.matcher("rating 01a20eec-9b48-7cf4-b46f-d13125842291 of").find()).isFalse();
    assertThat(ID_NUMBER.matcher("idNo 440881199001011233 ").find()).isTrue();
    assertThat(ID_NUMBER.matcher("idNo 4408**********1233").find()).isFalse();
  }
}
