package org.haochaping.gateway.stats;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The labels of rating tags, from {@code mappings/codes/<province>/tags.csv} (code,polarity,label,labelEn). */
final class TagLabels {

  private TagLabels() {}

  static Map<String, String> load(String province) {
    String path = "mappings/codes/" + province + "/tags.csv";
    Map<String, String> out = new HashMap<>();
    try (InputStream in = TagLabels.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        return out;
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cols = line.split(",");
        if (cols.length >= 3) {
          out.put(cols[0].strip(), cols[2].strip());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
    return out;
  }
}
