package io.stepwise.local.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dev issuer refuses every token API Gateway's JWT authorizer would refuse. */
class DevIssuerTest {

  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  /** One for the class: each issuer generates its 2048-bit RSA key, about a second here. */
  private static final DevIssuer issuer =
      new DevIssuer(() -> 8080, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void itsOwnToken_verifies_withClaimsFlattenedAsApiGatewayPassesThem() {
    Map<String, String> claims =
        issuer.verify(issuer.token("alice", List.of("stepwise-operators", "qa"))).orElseThrow();

    assertThat(claims)
        .containsEntry("sub", "alice")
        .containsEntry("iss", "http://localhost:8080")
        .containsEntry("groups", "[stepwise-operators qa]")
        .containsEntry("exp", Long.toString(NOW.plus(DevIssuer.LIFETIME).getEpochSecond()));
  }

  @Test
  void anExpiredToken_isRefused() {
    String token = issuer.token("alice", List.of());
    DevIssuer later = sameKeyAt(NOW.plus(DevIssuer.LIFETIME).plus(Duration.ofMinutes(2)));
    assertThat(later.verify(token)).isEmpty();
  }

  @Test
  void anotherIssuersToken_aWrongPort_noneAlgorithm_orAKeyConfusedHmac_areRefused()
      throws Exception {
    DevIssuer other = new DevIssuer(() -> 8080, Clock.fixed(NOW, ZoneOffset.UTC));
    assertThat(issuer.verify(other.token("alice", List.of()))).as("other key").isEmpty();
    assertThat(
            new DevIssuer(() -> 9090, Clock.fixed(NOW, ZoneOffset.UTC))
                .verify(issuer.token("alice", List.of())))
        .as("other issuer url")
        .isEmpty();

    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("http://localhost:8080")
            .subject("mallory")
            .audience(DevIssuer.CLIENT_ID)
            .issueTime(Date.from(NOW))
            .expirationTime(Date.from(NOW.plusSeconds(60)))
            .build();
    assertThat(issuer.verify(new PlainJWT(new PlainHeader(), claims).serialize()))
        .as("alg none")
        .isEmpty();
    SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    hmac.sign(new MACSigner(issuer.jwks().toString().repeat(2).getBytes()));
    assertThat(issuer.verify(hmac.serialize())).as("HS256").isEmpty();
  }

  @Test
  void aTokenForAnotherAudience_isRefused() {
    assertThat(issuer.verify(issuer.token("alice", List.of(), "another-client"))).isEmpty();
  }

  private DevIssuer sameKeyAt(Instant instant) {
    return issuer.at(Clock.fixed(instant, ZoneOffset.UTC));
  }
}
