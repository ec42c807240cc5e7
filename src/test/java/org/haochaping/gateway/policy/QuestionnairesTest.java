package org.haochaping.gateway.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.haochaping.gateway.model.Level;
import org.junit.jupiter.api.Test;

/** The questionnaire files (000 第八条): the shipped ones load, a broken one names its file and field. */
class QuestionnairesTest {

  static Questionnaires.Source file(String name, String text) {
    return new Questionnaires.Source("mappings/questionnaires/" + name, text);
  }

  static final String GOOD = """
      taskCode: T-1
      questions:
        - { id: wrong, text: 哪里不满意, type: multiple, required: true, levels: [DISSATISFIED, VERY_DISSATISFIED],
            choices: [ { code: WAIT, label: 等候久 }, { code: DOCS, label: 材料 } ] }
        - { id: speed, text: 速度, type: score }
      """;

  @Test
  void theShippedFilesLoad() throws IOException {
    List<Questionnaires.Source> shipped = new ArrayList<>();
    try (Stream<Path> files = Files.list(Path.of("mappings", "questionnaires"))) {
      files.filter(f -> f.toString().endsWith(".yaml")).forEach(f -> {
        try {
          shipped.add(file(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    Questionnaires q = Questionnaires.load(shipped);
    assertThat(q.all()).hasSizeGreaterThanOrEqualTo(2);
    Questionnaire change = q.forItem("11440881MB2C93418X4440111002").orElseThrow();
    assertThat(change.questionsFor(Level.DISSATISFIED)).extracting(Questionnaire.Question::id).contains("whatWentWrong");
    assertThat(change.questionsFor(Level.SATISFIED)).extracting(Questionnaire.Question::id).doesNotContain("whatWentWrong");
    assertThat(change.channels()).contains(org.haochaping.gateway.model.Channel.QR_DYNAMIC)
        .doesNotContain(org.haochaping.gateway.model.Channel.SMS);
  }

  @Test
  void aBrokenFileIsAStartUpErrorNamingFileAndField() {
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("a.yaml", GOOD.replace("type: score", "type: stars")))))
        .hasMessageStartingWith("mappings/questionnaires/a.yaml: questions[1].type:").hasMessageContaining("single, multiple, text, score");
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("b.yaml", GOOD.replace("DISSATISFIED, VERY", "UNHAPPY, VERY")))))
        .hasMessageStartingWith("mappings/questionnaires/b.yaml: questions[0].levels[0]:").hasMessageContaining("UNHAPPY");
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("c.yaml", GOOD.replace("taskCode: T-1\n", "")))))
        .hasMessageStartingWith("mappings/questionnaires/c.yaml: taskCode:");
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("d.yaml", GOOD.replace("{ code: DOCS, label: 材料 }", "{ code: WAIT, label: 材料 }")))))
        .hasMessageStartingWith("mappings/questionnaires/d.yaml: questions[0].choices[1].code:");
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("e.yaml", GOOD.replace("type: score }", "type: score, requird: true }")))))
        .hasMessageStartingWith("mappings/questionnaires/e.yaml: questions[1].requird:");
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("f.yaml", GOOD), file("g.yaml", GOOD))))
        .hasMessageStartingWith("mappings/questionnaires/g.yaml: taskCode:").hasMessageContaining("f.yaml");
    assertThatThrownBy(() -> Questionnaires.load(List.of(file("h.yaml", "taskCode: [unclosed"))))
        .hasMessageStartingWith("mappings/questionnaires/h.yaml:").hasMessageContaining("YAML");
  }
}
