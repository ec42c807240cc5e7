package org.haochaping.gateway.channel.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The single table of who may call what: the citizen's pages and QR images are public, nothing else new is. */
class AccessGuardPathsTest {

  @Test
  void citizenPagesAndQrImagesArePublic() {
    for (String p : new String[] {"/r/Ab3dEf6hJk9m", "/q/LJ-ZWFW-01/12", "/q/find", "/h5/h5.css", "/api/v1/qr/links/x.png",
        "/api/v1/qr/halls/LJ-ZWFW-01/windows/12.png"}) {
      assertThat(AccessGuard.accessFor(p)).as(p).isEqualTo(AccessGuard.Access.PUBLIC);
    }
  }

  @Test
  void channelEndpointsAreForSignedClients() {
    for (String p : new String[] {"/api/v1/guide/evaluations", "/api/v1/hotline/callbacks", "/api/v1/suggestions",
        "/api/v1/cases/C-1/rating-links", "/api/v1/portal/ratings", "/r", "/rx/1", "/api/v1/qrx"}) {
      assertThat(AccessGuard.accessFor(p)).as(p).isEqualTo(AccessGuard.Access.CLIENT);
    }
  }

  @Test
  void dotSegmentsBehindAPublicPrefixAreNotPublic() {
    assertThat(AccessGuard.accessFor("/r/../api/v1/admin/clients")).isEqualTo(AccessGuard.Access.ADMIN);
    assertThat(AccessGuard.accessFor("/h5/./x")).isEqualTo(AccessGuard.Access.ADMIN);
  }
}
