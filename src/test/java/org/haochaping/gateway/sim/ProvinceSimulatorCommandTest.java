package org.haochaping.gateway.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.haochaping.gateway.province.envelope.Sm2KeyPair;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ProvinceSimulatorCommandTest {

  @Test
  void optionsBecomeSettings() {
    ProvinceSimulatorCommand command = new ProvinceSimulatorCommand();
    new CommandLine(command).parseArgs("--port", "0", "--province", "guangxi", "--envelope", "hmac-json", "--app-key", "gx", "--secret", "s3");
    ProvinceSimulator.Settings settings = command.settings();
    assertThat(settings.port()).isZero();
    assertThat(settings.province()).isEqualTo("guangxi");
    assertThat(settings.envelopeSettings()).containsEntry("appKey", "gx").containsEntry("secret", "s3");
    assertThat(settings.toString()).doesNotContain("s3");
  }

  @Test
  void sm2KeysAreTakenAsGiven() {
    Sm2KeyPair province = Sm2KeyPair.generate();
    Sm2KeyPair gateway = Sm2KeyPair.generate();
    ProvinceSimulatorCommand command = new ProvinceSimulatorCommand();
    new CommandLine(command)
        .parseArgs("--envelope", "sm2-sm4", "--private-key", province.privateKeyHex(), "--peer-public-key", gateway.publicKeyHex());
    assertThat(command.settings().envelopeSettings())
        .containsEntry("privateKey", province.privateKeyHex())
        .containsEntry("peerPublicKey", gateway.publicKeyHex())
        .containsEntry("appMark", "hcp-gateway");
  }

  @Test
  void unknownEnvelopeIsAUsageError() {
    int exit = new CommandLine(new ProvinceSimulatorCommand()).execute("--port", "0", "--envelope", "soap");
    assertThat(exit).isEqualTo(2);
  }
}
