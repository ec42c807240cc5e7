package org.haochaping.gateway.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.haochaping.gateway.model.Rating;
import org.haochaping.gateway.policy.Questionnaire;
import org.haochaping.gateway.policy.Questionnaire.AnswerType;
import org.haochaping.gateway.policy.Questionnaires;

/**
 * The {@code rating_answers} table (V9): the answers to a service item's questionnaire (000 第八条),
 * written with their rating, and what the statistics read back. Holds no personal data.
 */
public final class QuestionnaireAnswers {

  /** One answer row: a chosen option, a score or a text. */
  record Row(String questionId, int ordinal, AnswerType type, String choice, Integer score, String text) {}

  /** What was answered to one question of an item in a period: counts per choice, mean score, number of texts. */
  public record QuestionSummary(String questionId, String type, long answered, Map<String, Long> choices, Double meanScore,
      long texts) {}

  private final Database db;
  private final Questionnaires questionnaires;

  public QuestionnaireAnswers(Database db, Questionnaires questionnaires) {
    this.db = db;
    this.questionnaires = questionnaires;
  }

  /** The rows of a rating's answers; a string answer is a choice or a text as its question says. */
  List<Row> rows(Rating r) {
    List<Row> rows = new ArrayList<>();
    if (r.questionnaire() == null) {
      return rows;
    }
    Optional<Questionnaire> q = questionnaires.forItem(r.target() == null ? null : r.target().taskCode());
    for (Map.Entry<String, Object> a : r.questionnaire().entrySet()) {
      // A question removed from its file since the rating was accepted: its words are kept as text.
      AnswerType type = q.flatMap(x -> x.question(a.getKey())).map(Questionnaire.Question::type).orElse(null);
      Object v = a.getValue();
      if (v instanceof List<?> list) {
        int i = 0;
        for (Object code : list) {
          rows.add(new Row(a.getKey(), i++, AnswerType.MULTIPLE, String.valueOf(code), null, null));
        }
      } else if (v instanceof Number n) {
        rows.add(new Row(a.getKey(), 0, AnswerType.SCORE, null, n.intValue(), null));
      } else if (v != null && type == AnswerType.SINGLE) {
        rows.add(new Row(a.getKey(), 0, AnswerType.SINGLE, v.toString(), null, null));
      } else if (v != null && !v.toString().isBlank()) {
        rows.add(new Row(a.getKey(), 0, AnswerType.TEXT, null, null, v.toString().strip()));
      }
    }
    return rows;
  }

  /** Adds the answers of {@code ratings} on the ledger's connection, inside its transaction; rows already there stay. */
  void insert(Connection c, List<Rating> ratings) throws SQLException {
    String sql = "insert into rating_answers (rating_id, question_id, ordinal, task_code, level, answer_type, choice_code, score, "
        + "answer_text, rated_at) values (?,?,?,?,?,?,?,?,?,?) on conflict do nothing";
    PreparedStatement ps = null;
    try {
      for (Rating r : ratings) {
        for (Row row : rows(r)) {
          if (ps == null) {
            ps = c.prepareStatement(sql);
          }
          int i = 1;
          ps.setString(i++, r.ratingId());
          ps.setString(i++, row.questionId());
          ps.setInt(i++, row.ordinal());
          ps.setString(i++, r.target().taskCode());
          ps.setString(i++, r.level().name());
          ps.setString(i++, row.type().code());
          ps.setString(i++, row.choice());
          Sql.setInt(ps, i++, row.score());
          ps.setString(i++, row.text());
          Sql.setTime(ps, i, r.ratedAt());
          ps.addBatch();
        }
      }
      if (ps != null) {
        ps.executeBatch();
      }
    } finally {
      if (ps != null) {
        ps.close();
      }
    }
  }

  /**
   * Per question of one item, ratings rated in [{@code from}, {@code until}): counts per choice, the mean
   * of scores, how many texts. Ratings revoked by a correction (stats_ratings.corrected) are left out.
   */
  public Map<String, QuestionSummary> summary(String taskCode, OffsetDateTime from, OffsetDateTime until) {
    Map<String, QuestionSummary> out = new LinkedHashMap<>();
    String sql = "select a.question_id, a.answer_type, a.choice_code, count(distinct a.rating_id) as n, avg(cast(a.score as double precision)) as mean "
        + "from rating_answers a where a.task_code = ? and a.rated_at >= ? and a.rated_at < ? "
        + "and not exists (select 1 from stats_ratings s where s.rating_id = a.rating_id and s.corrected) "
        + "group by a.question_id, a.answer_type, a.choice_code order by a.question_id, a.choice_code";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, taskCode);
      Sql.setTime(ps, 2, from);
      Sql.setTime(ps, 3, until);
      Map<String, long[]> answered = new LinkedHashMap<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String id = rs.getString("question_id");
          String type = rs.getString("answer_type");
          long n = rs.getLong("n");
          double mean = rs.getDouble("mean");
          boolean noMean = rs.wasNull();
          QuestionSummary before = out.get(id);
          Map<String, Long> choices = before == null ? new LinkedHashMap<>() : new LinkedHashMap<>(before.choices());
          String choice = rs.getString("choice_code");
          if (choice != null) {
            choices.put(choice, n);
          }
          Double meanScore = noMean ? (before == null ? null : before.meanScore()) : Double.valueOf(Math.round(mean * 100) / 100.0);
          out.put(id, new QuestionSummary(id, type, 0, choices, meanScore,
              "text".equals(type) ? n : (before == null ? 0 : before.texts())));
        }
      }
      // How many ratings answered each question (a multiple choice counts once however many codes it has).
      String count = "select a.question_id, count(distinct a.rating_id) from rating_answers a where a.task_code = ? "
          + "and a.rated_at >= ? and a.rated_at < ? "
          + "and not exists (select 1 from stats_ratings s where s.rating_id = a.rating_id and s.corrected) group by a.question_id";
      try (PreparedStatement p2 = c.prepareStatement(count)) {
        p2.setString(1, taskCode);
        Sql.setTime(p2, 2, from);
        Sql.setTime(p2, 3, until);
        try (ResultSet rs = p2.executeQuery()) {
          while (rs.next()) {
            answered.put(rs.getString(1), new long[] {rs.getLong(2)});
          }
        }
      }
      out.replaceAll((id, s) -> new QuestionSummary(id, s.type(), answered.getOrDefault(id, new long[] {0})[0], s.choices(),
          s.meanScore(), s.texts()));
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot summarise the answers of item " + taskCode, e);
    }
  }

  /** How many rated ratings answered the questionnaire of {@code taskCode} in the period, per level. */
  public Map<String, Long> ratingsByLevel(String taskCode, OffsetDateTime from, OffsetDateTime until) {
    Map<String, Long> out = new LinkedHashMap<>();
    String sql = "select a.level, count(distinct a.rating_id) from rating_answers a where a.task_code = ? and a.rated_at >= ? "
        + "and a.rated_at < ? and not exists (select 1 from stats_ratings s where s.rating_id = a.rating_id and s.corrected) "
        + "group by a.level";
    try (Connection c = db.connection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, taskCode);
      Sql.setTime(ps, 2, from);
      Sql.setTime(ps, 3, until);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getLong(2));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("cannot count the answered ratings of item " + taskCode, e);
    }
  }
}
