package io.recalign.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.StringUtils;

/** The bearer token of the admin API: configured, or generated for this run and logged once. */
final class AdminToken {

    private static final Logger log = LoggerFactory.getLogger(AdminToken.class);
    private static final int GENERATED_BYTES = 32;

    private final byte[] digest;

    private AdminToken(String token) {
        this.digest = sha256(token);
    }

    static AdminToken configuredOrGenerated(String configured) {
        if (StringUtils.hasText(configured)) {
            return new AdminToken(configured.strip());
        }
        byte[] random = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(random);
        String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        log.warn("RECALIGN_ADMIN_TOKEN is not set; the admin API token for this run is: {}", generated);
        return new AdminToken(generated);
    }

    /** Compares digests in constant time, so neither content nor length leaks through timing. */
    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
