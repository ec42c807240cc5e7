package org.haochaping.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import java.util.List;
import org.haochaping.gateway.model.Person;
import org.junit.jupiter.api.Test;

class PersonalDataCipherTest {

  private static byte[] key() {
    return Base64.getDecoder().decode(PersonalDataCipher.newKey());
  }

  private final Person person = new Person("张三", "111", "440881199001011233", "13812340000", "1");

  @Test
  void sealedPersonOpensToTheSamePerson() {
    PersonalDataCipher c = new PersonalDataCipher(key(), List.of());
    String sealed = c.seal(person);
    assertThat(sealed).startsWith("v1:" + c.currentKeyId() + ":").doesNotContain("13812340000");
    assertThat(c.openPerson(sealed)).isEqualTo(person);
    assertThat(c.seal(person)).as("fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void oldRowsOpenAfterKeyRotation() {
    byte[] old = key();
    String sealed = new PersonalDataCipher(old, List.of()).seal(person);
    PersonalDataCipher rotated = new PersonalDataCipher(key(), List.of(old));
    assertThat(rotated.openPerson(sealed)).isEqualTo(person);
    assertThat(rotated.seal(person)).startsWith("v1:" + rotated.currentKeyId());
  }

  @Test
  void tamperedOrForeignDataIsRefused() {
    PersonalDataCipher c = new PersonalDataCipher(key(), List.of());
    String sealed = c.seal(person);
    String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAAA") ? "BBBB" : "AAAA");
    assertThatThrownBy(() -> c.openPerson(tampered)).isInstanceOf(IllegalStateException.class);
    String foreign = new PersonalDataCipher(key(), List.of()).seal(person);
    assertThatThrownBy(() -> c.openPerson(foreign)).hasMessageContaining("not configured");
  }

  @Test
  void mobileIndexIsStableAndKeyed() {
    byte[] k = key();
    assertThat(new PersonalDataCipher(k, List.of()).mobileIndex("13812340000"))
        .isEqualTo(new PersonalDataCipher(k, List.of()).mobileIndex(" 13812340000 "))
        .isNotEqualTo(new PersonalDataCipher(key(), List.of()).mobileIndex("13812340000"))
        .hasSize(64);
  }
}
