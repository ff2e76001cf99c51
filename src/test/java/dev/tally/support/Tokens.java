package dev.tally.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

/**
 * JWTs for the security tests, signed with an RSA key pair generated for the test run. The service
 * under test validates them with {@code spring.security.oauth2.resourceserver.jwt.public-key-location}
 * pointing at {@link #publicKeyLocation()}, the operator's set-up without an identity provider.
 */
public final class Tokens {

    /** The key the service trusts. */
    public static final Tokens TRUSTED = new Tokens(generate());
    /** Another key: its tokens have a valid form and a signature the service must refuse. */
    public static final Tokens UNTRUSTED = new Tokens(generate());

    private static Path publicKeyFile;

    private final KeyPair keys;

    private Tokens(KeyPair keys) {
        this.keys = keys;
    }

    /** The trusted public key as a PEM file under {@code target/}, written once per test run; as a Spring resource location. */
    public static synchronized String publicKeyLocation() {
        if (publicKeyFile == null) {
            try {
                Path dir = Files.createDirectories(Path.of("target", "security-it"));
                Path file = Files.createTempFile(dir, "token-key-", ".pub");
                Files.writeString(file, pem(TRUSTED.keys));
                publicKeyFile = file.toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return "file:" + publicKeyFile;
    }

    /** The property that turns security on, with the trusted key. */
    public static Map<String, Object> securityOn() {
        return Map.of("spring.security.oauth2.resourceserver.jwt.public-key-location", publicKeyLocation());
    }

    /** A token valid for 5 minutes with these space-separated scopes and {@code tally_sources} (null: no claim). */
    public String token(String scopes, List<String> sources) {
        JWTClaimsSet.Builder claims =
                claims(Instant.now().minusSeconds(5), Duration.ofMinutes(5)).claim("scope", scopes);
        if (sources != null) {
            claims.claim("tally_sources", sources);
        }
        return sign(claims.build());
    }

    /** A token issued at {@code issuedAt}, valid for {@code lifetime}. */
    public String token(String scopes, List<String> sources, Instant issuedAt, Duration lifetime) {
        return sign(claims(issuedAt, lifetime)
                .claim("scope", scopes)
                .claim("tally_sources", sources)
                .build());
    }

    public String sign(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
            jwt.sign(new RSASSASigner(keys.getPrivate()));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JWTClaimsSet.Builder claims(Instant issuedAt, Duration lifetime) {
        return new JWTClaimsSet.Builder()
                .subject("test-client")
                .issueTime(Date.from(issuedAt))
                .expirationTime(Date.from(issuedAt.plus(lifetime)));
    }

    private static String pem(KeyPair keys) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes())
                        .encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
