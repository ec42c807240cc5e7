package org.haochaping.gateway.policy;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.haochaping.gateway.model.Channel;
import org.haochaping.gateway.model.Level;

/**
 * The questionnaire (评价问询表单) of one service item, on top of the five levels (000 第八条: 线上评价
 * ……在五级评价的基础上，针对具体服务事项设计评价问询表单，由办事企业群众自主自愿填写). One file
 * {@code mappings/questionnaires/<name>.yaml} per item, keyed by the item code the cases carry
 * ({@code taskCode}); read by {@link Questionnaires}.
 *
 * @param channels the channels that show this questionnaire to the citizen: a rating from one of them
 *     must answer the required questions of its level; other channels may send answers but need not
 */
public record Questionnaire(String source, String taskCode, String itemName, String title, Set<Channel> channels,
    List<Question> questions) {

  /** The online channels of 000 第三章 and the gateway's own H5 page (dynamic and static QR codes). */
  public static final Set<Channel> ONLINE = Set.of(Channel.PORTAL, Channel.APP, Channel.MINI_PROGRAM, Channel.QR_DYNAMIC,
      Channel.QR_STATIC);

  /** How a question is answered, and how its answer travels in the rating's {@code questionnaire} object. */
  public enum AnswerType {
    /** One choice code: {@code "LT15"}. */
    SINGLE("single", "单选", "single choice"),
    /** One or more choice codes: {@code ["WAIT", "DOCS"]}. */
    MULTIPLE("multiple", "多选", "multiple choice"),
    /** Words, like the rating's comment: {@code "……"}. */
    TEXT("text", "文字", "text"),
    /** An integer 1..5, 5 the best: {@code 4}. */
    SCORE("score", "1至5分评分", "a score from 1 to 5");

    private final String code;
    private final String label;
    private final String labelEn;

    AnswerType(String code, String label, String labelEn) {
      this.code = code;
      this.label = label;
      this.labelEn = labelEn;
    }

    public String code() {
      return code;
    }

    public String label() {
      return label;
    }

    public String labelEn() {
      return labelEn;
    }

    static Optional<AnswerType> of(String code) {
      for (AnswerType t : values()) {
        if (t.code.equals(code)) {
          return Optional.of(t);
        }
      }
      return Optional.empty();
    }
  }

  /** One choice of a single or multiple choice question. */
  public record Choice(String code, String label) {}

  /**
   * One question.
   *
   * @param levels the levels after which the question is asked (all five when the file names none)
   * @param maxLength for text answers, in characters
   */
  public record Question(String id, String text, String textEn, AnswerType type, boolean required, Set<Level> levels,
      List<Choice> choices, int maxLength) {

    public boolean askedFor(Level level) {
      return levels.contains(level);
    }

    public Optional<Choice> choice(String code) {
      return choices.stream().filter(c -> c.code().equals(code)).findFirst();
    }
  }

  /** The questions asked after {@code level}, in the file's order. */
  public List<Question> questionsFor(Level level) {
    return questions.stream().filter(q -> q.askedFor(level)).toList();
  }

  public Optional<Question> question(String id) {
    return questions.stream().filter(q -> q.id().equals(id)).findFirst();
  }
}
