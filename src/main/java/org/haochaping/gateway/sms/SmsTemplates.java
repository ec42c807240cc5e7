package org.haochaping.gateway.sms;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The texts of {@code mappings/sms/*.txt}: one template per {@link SmsKind}, lines starting with
 * {@code #} are comments, {@code {name}} is a placeholder and {@code {signature}} the configured
 * signature (shown in 【】 by the templates). A template that uses a placeholder its kind does not
 * have fails at start-up, not when the first citizen is waiting for the SMS.
 */
public final class SmsTemplates {

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");

  private final Map<SmsKind, String> templates;
  private final String signature;

  SmsTemplates(Map<SmsKind, String> templates, String signature) {
    this.templates = new EnumMap<>(templates);
    this.signature = signature;
    if (signature == null || signature.isBlank() || signature.contains("【") || signature.contains("】")) {
      throw new IllegalArgumentException("hcp.sms.signature must be a name without brackets (the templates add 【】), was '"
          + signature + "'");
    }
    for (SmsKind kind : SmsKind.values()) {
      String t = this.templates.get(kind);
      if (t == null || t.isBlank()) {
        throw new IllegalArgumentException("mappings/sms/" + kind.template() + ".txt is missing or empty");
      }
      Set<String> unknown = new LinkedHashSet<>(placeholders(t));
      unknown.remove("signature");
      unknown.removeAll(kind.placeholders());
      if (!unknown.isEmpty()) {
        throw new IllegalArgumentException("mappings/sms/" + kind.template() + ".txt uses " + unknown
            + "; it may use {signature} and " + kind.placeholders());
      }
    }
  }

  /** Loads every template from the classpath (the jar carries mappings/). */
  public static SmsTemplates load(String signature) {
    Map<SmsKind, String> templates = new EnumMap<>(SmsKind.class);
    for (SmsKind kind : SmsKind.values()) {
      String path = "mappings/sms/" + kind.template() + ".txt";
      try (InputStream in = SmsTemplates.class.getClassLoader().getResourceAsStream(path)) {
        if (in != null) {
          templates.put(kind, parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + path, e);
      }
    }
    return new SmsTemplates(templates, signature);
  }

  /** The template text without comment lines; lines are joined without a separator (one SMS). */
  static String parse(String file) {
    StringBuilder b = new StringBuilder();
    for (String line : file.split("\\R")) {
      if (!line.startsWith("#") && !line.isBlank()) {
        b.append(line.strip());
      }
    }
    return b.toString();
  }

  /** The raw template, for tests and docs. */
  public String template(SmsKind kind) {
    return templates.get(kind);
  }

  /** The text for {@code kind} with every placeholder filled; a missing value is a programming error. */
  public String render(SmsKind kind, Map<String, String> values) {
    String t = templates.get(kind);
    Matcher m = PLACEHOLDER.matcher(t);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String value = name.equals("signature") ? signature : values.get(name);
      if (value == null) {
        throw new IllegalArgumentException("no value for {" + name + "} in " + kind.template() + ".txt");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static Set<String> placeholders(String template) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = PLACEHOLDER.matcher(template);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }
}
