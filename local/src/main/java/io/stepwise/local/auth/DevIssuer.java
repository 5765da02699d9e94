package io.stepwise.local.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;

/**
 * The token issuer built into the local runtime for {@code --auth}: an RSA key made at start (so
 * tokens never outlive the process), access tokens signed RS256 with the claims API Gateway's JWT
 * authorizer checks on AWS ({@code iss}, {@code aud}, {@code exp}, {@code sub}) plus {@code
 * groups}, and their verification. There are no passwords: whoever reaches the local runtime may be
 * anybody, which is the point of a dev issuer.
 */
@Singleton
@Requires(property = DevIssuer.ENABLED, value = "true")
public final class DevIssuer {

  /** The configuration property {@code --auth} sets. */
  public static final String ENABLED = "stepwise.local.auth.enabled";

  /** The dashboard's client id, and the audience of every token this issuer signs. */
  public static final String CLIENT_ID = "stepwise-dashboard";

  static final Duration LIFETIME = Duration.ofHours(1);

  private final RSAKey key;
  private final IntSupplier port;
  private final Clock clock;

  @Inject
  DevIssuer(Provider<EmbeddedServer> server) {
    this(() -> server.get().getPort(), Clock.systemUTC());
  }

  /**
   * @param port the local API's port, asked when first needed (the server starts after this bean)
   */
  DevIssuer(IntSupplier port, Clock clock) {
    this(newKey(), port, clock);
  }

  private DevIssuer(RSAKey key, IntSupplier port, Clock clock) {
    this.key = key;
    this.port = port;
    this.clock = clock;
  }

  /** The same issuer (same key) on another clock, for tests of expiry. */
  DevIssuer at(Clock other) {
    return new DevIssuer(key, port, other);
  }

  private static RSAKey newKey() {
    try {
      return new RSAKeyGenerator(2048)
          .keyID("stepwise-local-" + UUID.randomUUID())
          .algorithm(JWSAlgorithm.RS256)
          .generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot make the dev issuer's key", e);
    }
  }

  /** {@code iss} of every token: the local API's origin, as a real issuer's is its own URL. */
  public String issuer() {
    return "http://localhost:" + port.getAsInt();
  }

  /** The public key set, as {@code /.well-known/jwks.json} serves it. */
  public Map<String, Object> jwks() {
    return new JWKSet(key.toPublicJWK()).toJSONObject(true);
  }

  /** A signed access token for {@code sub}, member of {@code groups}. */
  public String token(String sub, List<String> groups) {
    return token(sub, groups, CLIENT_ID);
  }

  /** A token for another audience: only tests ask for one, to see it refused. */
  String token(String sub, List<String> groups, String audience) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(issuer())
            .subject(sub)
            .audience(audience)
            .claim("client_id", audience)
            .claim("token_use", "access")
            .claim("groups", List.copyOf(groups))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(LIFETIME)))
            .jwtID(UUID.randomUUID().toString())
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    try {
      jwt.sign(new RSASSASigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a dev token", e);
    }
    return jwt.serialize();
  }

  /**
   * The claims of a valid token (signature by this issuer's key, RS256 only, {@code iss}, {@code
   * aud}, {@code exp} with no leeway beyond a minute, {@code sub} present), flattened as API
   * Gateway passes claims to a Lambda function: an array claim as {@code [a b]}, a time as epoch
   * seconds. Empty for anything else.
   */
  public Optional<Map<String, String>> verify(String token) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(
        new JWSVerificationKeySelector<>(
            JWSAlgorithm.RS256, new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK()))));
    processor.setJWTClaimsSetVerifier(
        new DefaultJWTClaimsVerifier<>(
            CLIENT_ID,
            new JWTClaimsSet.Builder().issuer(issuer()).build(),
            Set.of("sub", "exp", "iat")) {
          @Override
          protected Date currentTime() {
            return Date.from(clock.instant());
          }
        });
    try {
      return Optional.of(flatten(processor.process(token, null)));
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  private static Map<String, String> flatten(JWTClaimsSet claims) {
    Map<String, String> flat = new LinkedHashMap<>();
    claims
        .getClaims()
        .forEach(
            (name, value) -> {
              if (value instanceof List<?> list) {
                flat.put(
                    name,
                    list.stream().map(String::valueOf).collect(Collectors.joining(" ", "[", "]")));
              } else if (value instanceof Date date) {
                flat.put(name, Long.toString(date.toInstant().getEpochSecond()));
              } else {
                flat.put(name, String.valueOf(value));
              }
            });
    return flat;
  }
}
