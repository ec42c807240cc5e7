package org.haochaping.gateway.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.policy.Questionnaire.AnswerType;
import org.haochaping.gateway.policy.Questionnaire.Choice;
import org.haochaping.gateway.policy.Questionnaire.Question;

/**
 * Every service item's questionnaire (000 第八条), read once at start from
 * {@code mappings/questionnaires/*.yaml}, and the check of a rating's answers against the
 * questionnaire of its item for its level. A file that is wrong stops the start with its name and
 * the field; a rating whose answers are wrong is refused (422) naming the question and the rule.
 */
public final class Questionnaires {

  /** No questionnaire for any item: every rating without answers passes, any answer is refused. */
  public static final Questionnaires NONE = new Questionnaires(Map.of());

  /** A file to read: its name (for messages) and its YAML text. */
  public record Source(String name, String text) {}

  /** A file that cannot be used: the message names the file and the field. */
  public static final class InvalidQuestionnaire extends IllegalArgumentException {
    InvalidQuestionnaire(String message) {
      super(message);
    }
  }

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final String ID = "[A-Za-z][A-Za-z0-9_-]{0,31}";
  private static final String CODE = "[A-Za-z0-9_-]{1,32}";
  static final int DEFAULT_TEXT_LENGTH = 300;
  static final int MAX_TEXT_LENGTH = 2000;
  private static final Set<String> FILE_KEYS = Set.of("taskCode", "itemName", "title", "channels", "questions");
  private static final Set<String> QUESTION_KEYS = Set.of("id", "text", "textEn", "type", "required", "levels", "choices",
      "maxLength");

  private final Map<String, Questionnaire> byItem;

  private Questionnaires(Map<String, Questionnaire> byItem) {
    this.byItem = Map.copyOf(byItem);
  }

  /** Reads and validates the files; throws {@link InvalidQuestionnaire} naming the file and field of the first mistake. */
  public static Questionnaires load(Collection<Source> sources) {
    Map<String, Questionnaire> byItem = new LinkedHashMap<>();
    for (Source s : sources) {
      Questionnaire q = parse(s);
      Questionnaire before = byItem.putIfAbsent(q.taskCode(), q);
      if (before != null) {
        throw new InvalidQuestionnaire(s.name() + ": taskCode: 服务事项 " + q.taskCode() + " 已有问询表单 " + before.source()
            + " / item " + q.taskCode() + " already has a questionnaire in " + before.source());
      }
    }
    return new Questionnaires(byItem);
  }

  public Optional<Questionnaire> forItem(String taskCode) {
    return taskCode == null ? Optional.empty() : Optional.ofNullable(byItem.get(taskCode));
  }

  public Collection<Questionnaire> all() {
    return byItem.values();
  }

  /**
   * What is wrong with the rating's answers for its item and level; empty when nothing. The target
   * must already carry the case's item code. Answers are voluntary as a whole (000 第八条: 自主自愿填写),
   * but a channel that shows the questionnaire, and any rating that sends answers, must answer the
   * questions its file marks required for the level.
   */
  public List<Violation> check(Rating rating) {
    Map<String, Object> answers = rating.questionnaire();
    String item = rating.target() == null ? null : rating.target().taskCode();
    Optional<Questionnaire> found = forItem(item);
    List<Violation> out = new ArrayList<>();
    if (found.isEmpty()) {
      if (answers != null) {
        out.add(refused("questionnaire", "noQuestionnaire",
            "服务事项 " + (item == null ? "（未知）" : item) + " 没有评价问询表单，不能提交问卷答案",
            "service item " + (item == null ? "(unknown)" : item) + " has no questionnaire; send no answers"));
      }
      return out;
    }
    Questionnaire q = found.get();
    Level level = rating.level();
    if (answers != null) {
      for (Map.Entry<String, Object> a : answers.entrySet()) {
        String field = "questionnaire." + a.getKey();
        Optional<Question> question = q.question(a.getKey());
        if (question.isEmpty()) {
          out.add(refused(field, "unknownQuestion", "服务事项 " + q.taskCode() + " 的问询表单没有问题 " + a.getKey(),
              "the questionnaire of item " + q.taskCode() + " has no question " + a.getKey()));
        } else if (!question.get().askedFor(level)) {
          out.add(refused(field, "notAskedForLevel", "问题 " + a.getKey() + " 只在评价为" + labels(question.get().levels()) + "时提问",
              "question " + a.getKey() + " is asked only for " + labelsEn(question.get().levels())));
        } else {
          checkAnswer(question.get(), field, a.getValue(), out);
        }
      }
    }
    if (answers != null || q.channels().contains(rating.channel())) {
      for (Question question : q.questionsFor(level)) {
        if (question.required() && blank(answers == null ? null : answers.get(question.id()))) {
          out.add(refused("questionnaire." + question.id(), "required",
              "评价为“" + level.label() + "”时必须回答问题“" + question.text() + "”",
              "question " + question.id() + " must be answered for a " + level.labelEn() + " rating"));
        }
      }
    }
    return out;
  }

  private static void checkAnswer(Question q, String field, Object value, List<Violation> out) {
    switch (q.type()) {
      case SINGLE -> {
        if (!(value instanceof String code)) {
          out.add(wrongType(q, field));
        } else if (q.choice(code).isEmpty()) {
          out.add(unknownChoice(q, field, code));
        }
      }
      case MULTIPLE -> {
        if (!(value instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(String.class::isInstance)) {
          out.add(wrongType(q, field));
        } else {
          for (Object code : list) {
            if (q.choice((String) code).isEmpty()) {
              out.add(unknownChoice(q, field, (String) code));
            }
          }
        }
      }
      case SCORE -> {
        if (!(value instanceof Integer || value instanceof Long)) {
          out.add(wrongType(q, field));
        } else if (((Number) value).longValue() < 1 || ((Number) value).longValue() > 5) {
          out.add(refused(field, "range", "问题 " + q.id() + " 的评分应为1至5的整数", "question " + q.id() + " takes a score from 1 to 5"));
        }
      }
      case TEXT -> {
        if (!(value instanceof String text)) {
          out.add(wrongType(q, field));
        } else if (text.codePointCount(0, text.length()) > q.maxLength()) {
          out.add(refused(field, "maxLength", "问题 " + q.id() + " 的回答不能超过 " + q.maxLength() + " 字",
              "the answer to question " + q.id() + " must be at most " + q.maxLength() + " characters"));
        }
      }
    }
  }

  private static boolean blank(Object answer) {
    return answer == null || answer instanceof String s && s.isBlank() || answer instanceof List<?> l && l.isEmpty();
  }

  private static Violation wrongType(Question q, String field) {
    String example = switch (q.type()) {
      case SINGLE -> "\"" + q.choices().get(0).code() + "\"";
      case MULTIPLE -> "[\"" + q.choices().get(0).code() + "\"]";
      case SCORE -> "5";
      case TEXT -> "\"……\"";
    };
    return refused(field, "type", "问题 " + q.id() + " 是" + q.type().label() + "题，回答应形如 " + example,
        "question " + q.id() + " is " + q.type().labelEn() + "; answer like " + example);
  }

  private static Violation unknownChoice(Question q, String field, String code) {
    String known = q.choices().stream().map(Choice::code).collect(Collectors.joining(", "));
    return refused(field, "choice", "问题 " + q.id() + " 没有选项 " + code + "（可选：" + known + "）",
        "question " + q.id() + " has no choice " + code + " (choices: " + known + ")");
  }

  private static Violation refused(String field, String rule, String zh, String en) {
    // The answers are well formed JSON; what they say does not fit the item's questionnaire: 422, as policy refusals.
    return Violation.notAllowed(field, rule, zh, en);
  }

  private static String labels(Set<Level> levels) {
    return levels.stream().sorted().map(l -> "“" + l.label() + "”").collect(Collectors.joining("、"));
  }

  private static String labelsEn(Set<Level> levels) {
    return levels.stream().sorted().map(Level::labelEn).collect(Collectors.joining(", "));
  }

  // --- reading a file

  private static Questionnaire parse(Source s) {
    JsonNode root;
    try {
      root = YAML.readTree(s.text());
    } catch (IOException e) {
      throw new InvalidQuestionnaire(s.name() + ": 不是合法的YAML / not valid YAML: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw bad(s, "(file)", "应为一个对象（taskCode、questions……） / must be a mapping with taskCode, questions, ...");
    }
    unknownKeys(s, "", root, FILE_KEYS);
    String taskCode = text(s, root, "taskCode", true);
    if (!taskCode.matches("[\\x21-\\x7E]{1,64}")) {
      throw bad(s, "taskCode", "应为1至64个可见ASCII字符的事项编码 / must be an item code of 1 to 64 printable ASCII characters");
    }
    String itemName = text(s, root, "itemName", false);
    String title = text(s, root, "title", false);
    Set<Channel> channels = EnumSet.copyOf(Questionnaire.ONLINE);
    if (root.has("channels")) {
      channels = EnumSet.noneOf(Channel.class);
      JsonNode list = root.get("channels");
      if (!list.isArray()) {
        throw bad(s, "channels", "应为渠道代码列表，如 [PORTAL, APP] / must be a list of channel codes such as [PORTAL, APP]");
      }
      for (int i = 0; i < list.size(); i++) {
        channels.add(enumOf(s, "channels[" + i + "]", list.get(i), Channel.class));
      }
    }
    JsonNode qs = root.get("questions");
    if (qs == null || !qs.isArray() || qs.isEmpty()) {
      throw bad(s, "questions", "至少需要一个问题 / needs at least one question");
    }
    List<Question> questions = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < qs.size(); i++) {
      Question q = question(s, "questions[" + i + "]", qs.get(i));
      if (!ids.add(q.id())) {
        throw bad(s, "questions[" + i + "].id", "问题编号 " + q.id() + " 重复 / question id " + q.id() + " is used twice");
      }
      questions.add(q);
    }
    return new Questionnaire(s.name(), taskCode, itemName, title, Set.copyOf(channels), List.copyOf(questions));
  }

  private static Question question(Source s, String at, JsonNode n) {
    if (n == null || !n.isObject()) {
      throw bad(s, at, "应为一个对象（id、text、type……） / must be a mapping with id, text, type, ...");
    }
    unknownKeys(s, at + ".", n, QUESTION_KEYS);
    String id = text(s, n, at, "id", true);
    if (!id.matches(ID)) {
      throw bad(s, at + ".id", "应以字母开头，最多32个字母、数字、_ 或 - / must start with a letter, at most 32 letters, digits, _ or -");
    }
    String text = text(s, n, at, "text", true);
    String textEn = text(s, n, at, "textEn", false);
    String typeCode = text(s, n, at, "type", true);
    AnswerType type = AnswerType.of(typeCode).orElseThrow(() -> bad(s, at + ".type",
        "应为 single、multiple、text 或 score 之一，而不是 " + typeCode + " / must be one of single, multiple, text, score, not " + typeCode));
    boolean required = false;
    if (n.has("required")) {
      if (!n.get("required").isBoolean()) {
        throw bad(s, at + ".required", "应为 true 或 false / must be true or false");
      }
      required = n.get("required").booleanValue();
    }
    Set<Level> levels = EnumSet.allOf(Level.class);
    if (n.has("levels")) {
      JsonNode list = n.get("levels");
      if (!list.isArray() || list.isEmpty()) {
        throw bad(s, at + ".levels", "应为评价等级列表，如 [DISSATISFIED, VERY_DISSATISFIED] / must be a list of levels such as "
            + "[DISSATISFIED, VERY_DISSATISFIED]");
      }
      levels = EnumSet.noneOf(Level.class);
      for (int i = 0; i < list.size(); i++) {
        levels.add(enumOf(s, at + ".levels[" + i + "]", list.get(i), Level.class));
      }
    }
    List<Choice> choices = new ArrayList<>();
    boolean choosing = type == AnswerType.SINGLE || type == AnswerType.MULTIPLE;
    if (choosing) {
      JsonNode list = n.get("choices");
      if (list == null || !list.isArray() || list.size() < 2) {
        throw bad(s, at + ".choices", "选择题至少需要两个选项（code、label） / a choice question needs at least two choices (code, label)");
      }
      Set<String> codes = new HashSet<>();
      for (int i = 0; i < list.size(); i++) {
        String cat = at + ".choices[" + i + "]";
        JsonNode c = list.get(i);
        if (!c.isObject()) {
          throw bad(s, cat, "应为 {code, label} / must be {code, label}");
        }
        unknownKeys(s, cat + ".", c, Set.of("code", "label"));
        String code = text(s, c, cat, "code", true);
        if (!code.matches(CODE)) {
          throw bad(s, cat + ".code", "应为1至32个字母、数字、_ 或 - / must be 1 to 32 letters, digits, _ or -");
        }
        if (!codes.add(code)) {
          throw bad(s, cat + ".code", "选项 " + code + " 重复 / choice " + code + " is used twice");
        }
        choices.add(new Choice(code, text(s, c, cat, "label", true)));
      }
    } else if (n.has("choices")) {
      throw bad(s, at + ".choices", "只有 single 和 multiple 题有选项 / only single and multiple questions have choices");
    }
    int maxLength = DEFAULT_TEXT_LENGTH;
    if (n.has("maxLength")) {
      JsonNode m = n.get("maxLength");
      if (type != AnswerType.TEXT) {
        throw bad(s, at + ".maxLength", "只有 text 题有 maxLength / only text questions have maxLength");
      }
      if (!m.isInt() || m.intValue() < 1 || m.intValue() > MAX_TEXT_LENGTH) {
        throw bad(s, at + ".maxLength", "应为1至" + MAX_TEXT_LENGTH + "的整数 / must be an integer from 1 to " + MAX_TEXT_LENGTH);
      }
      maxLength = m.intValue();
    }
    return new Question(id, text, textEn, type, required, Set.copyOf(levels), List.copyOf(choices), maxLength);
  }

  private static <E extends Enum<E>> E enumOf(Source s, String at, JsonNode n, Class<E> type) {
    String v = n == null || !n.isTextual() ? String.valueOf(n) : n.textValue();
    try {
      return Enum.valueOf(type, v);
    } catch (IllegalArgumentException e) {
      String known = java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
      throw bad(s, at, "未知代码 " + v + "（可用：" + known + "） / unknown code " + v + " (known: " + known + ")");
    }
  }

  private static String text(Source s, JsonNode n, String key, boolean required) {
    return text(s, n, null, key, required);
  }

  private static String text(Source s, JsonNode n, String at, String key, boolean required) {
    String field = at == null ? key : at + "." + key;
    JsonNode v = n.get(key);
    if (v == null || v.isNull()) {
      if (required) {
        throw bad(s, field, "必须填写 / is required");
      }
      return null;
    }
    if (!v.isTextual() && !v.isNumber()) {
      throw bad(s, field, "应为文字 / must be text");
    }
    String t = v.asText().strip();
    if (required && t.isEmpty()) {
      throw bad(s, field, "不能为空 / must not be empty");
    }
    return t.isEmpty() ? null : t;
  }

  private static void unknownKeys(Source s, String prefix, JsonNode n, Set<String> known) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!known.contains(k)) {
        throw bad(s, prefix + k, "未知字段（可用：" + String.join(", ", new java.util.TreeSet<>(known)) + "） / unknown field (known: "
            + String.join(", ", new java.util.TreeSet<>(known)) + ")");
      }
    }
  }

  private static InvalidQuestionnaire bad(Source s, String field, String what) {
    return new InvalidQuestionnaire(s.name() + ": " + field + ": " + what);
  }
}
