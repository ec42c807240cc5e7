package org.haochaping.gateway.channel.h5;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A submitted HTML form ({@code application/x-www-form-urlencoded}, UTF-8): every value of every field. */
final class FormData {

  private final Map<String, List<String>> fields;

  private FormData(Map<String, List<String>> fields) {
    this.fields = fields;
  }

  static FormData parse(byte[] body) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    String text = new String(body, StandardCharsets.UTF_8);
    for (String pair : text.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      fields.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return new FormData(fields);
  }

  /** The first value, stripped; null when absent or blank. */
  String get(String name) {
    List<String> values = fields.get(name);
    if (values == null || values.isEmpty()) {
      return null;
    }
    String v = values.get(0).strip();
    return v.isEmpty() ? null : v;
  }

  List<String> all(String name) {
    List<String> out = new ArrayList<>();
    for (String v : fields.getOrDefault(name, List.of())) {
      if (!v.isBlank() && !out.contains(v.strip())) {
        out.add(v.strip());
      }
    }
    return out;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }
}
