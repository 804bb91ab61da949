package io.recalign.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The optional API keys of the public API, each with its own rate limit, from a specification such as
 * {@code key1:60,key2:600} (requests per minute; a key without a rate gets {@value #DEFAULT_PER_MINUTE}).
 * Each key has a token bucket holding up to a minute's requests and refilled continuously, so a key may
 * burst up to its rate and then sustain it. Keys are kept as SHA-256 digests and looked up by the digest of
 * the presented key, so the lookup's timing says nothing about the keys. No keys: the API is open.
 */
final class ApiKeys {

    static final int DEFAULT_PER_MINUTE = 60;
    static final int MAX_PER_MINUTE = 1_000_000;
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    /** The outcome of one request: allowed, or refused with the seconds until the next token. */
    record Decision(boolean allowed, boolean known, long retryAfterSeconds) {
    }

    private final Map<String, Bucket> buckets;

    private ApiKeys(Map<String, Bucket> buckets) {
        this.buckets = Map.copyOf(buckets);
    }

    /** Parses {@code key[:perMinute],...}; blank means no keys. Errors never repeat a key. */
    static ApiKeys parse(String specification, long nowNanos) {
        Map<String, Bucket> buckets = new HashMap<>();
        if (specification != null && !specification.isBlank()) {
            String[] entries = specification.split(",");
            for (int i = 0; i < entries.length; i++) {
                String entry = entries[i].strip();
                int colon = entry.lastIndexOf(':');
                String key = colon < 0 ? entry : entry.substring(0, colon).strip();
                int perMinute = colon < 0 ? DEFAULT_PER_MINUTE : rate(entry.substring(colon + 1).strip(), i + 1);
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("RECALIGN_API_KEYS entry " + (i + 1) + " has no key");
                }
                if (buckets.put(digest(key), new Bucket(perMinute, nowNanos)) != null) {
                    throw new IllegalArgumentException("RECALIGN_API_KEYS entry " + (i + 1) + " repeats an earlier key");
                }
            }
        }
        return new ApiKeys(buckets);
    }

    /** Whether keys are configured; without them the public API is open. */
    boolean enabled() {
        return !buckets.isEmpty();
    }

    int size() {
        return buckets.size();
    }

    /** Takes a token of the presented key's bucket, if the key is known and its bucket is not empty. */
    Decision take(String presented, long nowNanos) {
        Bucket bucket = presented == null ? null : buckets.get(digest(presented));
        if (bucket == null) {
            return new Decision(false, false, 0);
        }
        return bucket.take(nowNanos);
    }

    private static int rate(String text, int entry) {
        try {
            int rate = Integer.parseInt(text);
            if (rate > 0 && rate <= MAX_PER_MINUTE) {
                return rate;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("RECALIGN_API_KEYS entry " + entry
                + " needs a number of requests per minute between 1 and " + MAX_PER_MINUTE + " after the colon, was '"
                + text + "'");
    }

    private static String digest(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Tokens in units of 1/perMinute of a token per nanosecond-minute: integer arithmetic, no drift. */
    private static final class Bucket {

        private final int perMinute;
        /** Tokens × one minute in nanoseconds, so a nanosecond adds exactly perMinute units. */
        private final long capacity;
        private long units;
        private long updatedNanos;

        Bucket(int perMinute, long nowNanos) {
            this.perMinute = perMinute;
            this.capacity = perMinute * NANOS_PER_MINUTE;
            this.units = capacity;
            this.updatedNanos = nowNanos;
        }

        synchronized Decision take(long nowNanos) {
            long elapsed = Math.max(0, nowNanos - updatedNanos);
            updatedNanos = Math.max(updatedNanos, nowNanos);
            units = elapsed >= NANOS_PER_MINUTE ? capacity : Math.min(capacity, units + elapsed * perMinute);
            if (units >= NANOS_PER_MINUTE) {
                units -= NANOS_PER_MINUTE;
                return new Decision(true, true, 0);
            }
            long missingNanos = (NANOS_PER_MINUTE - units + perMinute - 1) / perMinute;
            return new Decision(false, true, Math.max(1, (missingNanos + 999_999_999L) / 1_000_000_000L));
        }
    }
}
