package org.haochaping.gateway.channel.guide;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The case codes of the guide's 办件服务数据 read backwards: ({@code proChannel}, {@code 2}) ->
 * {@code WINDOW}. The table is the provincial forwarder's, {@code mappings/codes/<province>/case-codes.csv}
 * (field,canonical,code,label); where several canonical values share a code (proChannel 2 is a
 * window, a terminal or the hotline), the first row in the file is the one read back.
 */
public final class CaseCodes {

  private final Map<String, String> canonicalByCode;

  private CaseCodes(Map<String, String> canonicalByCode) {
    this.canonicalByCode = Map.copyOf(canonicalByCode);
  }

  public static CaseCodes load(String province) {
    String path = "mappings/codes/" + province + "/case-codes.csv";
    InputStream in = CaseCodes.class.getClassLoader().getResourceAsStream(path);
    if (in == null) {
      throw new IllegalArgumentException("no code table " + path + " on the classpath");
    }
    Map<String, String> map = new LinkedHashMap<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        line = line.replace("\uFEFF", "").strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] c = line.split(",", -1);
        if (c.length >= 3) {
          map.putIfAbsent(c[0].strip() + "|" + c[2].strip(), c[1].strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(path, e);
    }
    return new CaseCodes(map);
  }

  /** The canonical value of a wire code, e.g. ("projectType", "2") -> PROMISED. */
  public Optional<String> canonical(String field, String code) {
    return Optional.ofNullable(canonicalByCode.get(field + "|" + code));
  }
}
