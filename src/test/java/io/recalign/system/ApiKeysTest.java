package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void noSpecificationLeavesTheApiOpen() {
        assertThat(ApiKeys.parse(null, 0).enabled()).isFalse();
        assertThat(ApiKeys.parse("  ", 0).enabled()).isFalse();
    }

    @Test
    void eachKeyHasItsOwnBucketThatRefillsAtItsRate() {
        ApiKeys keys = ApiKeys.parse("slow:2, fast:600", 0);

        assertThat(keys.take("slow", 0).allowed()).isTrue();
        assertThat(keys.take("slow", 0).allowed()).isTrue();
        ApiKeys.Decision refused = keys.take("slow", 0);
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.known()).isTrue();
        assertThat(refused.retryAfterSeconds()).isEqualTo(30); // 2 per minute: one token every 30 s
        assertThat(keys.take("fast", 0).allowed()).as("another key's bucket is untouched").isTrue();

        assertThat(keys.take("slow", 29 * SECOND).retryAfterSeconds()).isEqualTo(1);
        assertThat(keys.take("slow", 30 * SECOND).allowed()).isTrue();
        assertThat(keys.take("slow", 30 * SECOND).allowed()).isFalse();
        assertThat(keys.take("slow", 10 * 60 * SECOND).allowed()).as("refilled, up to the capacity").isTrue();
        assertThat(keys.take("slow", 10 * 60 * SECOND).allowed()).isTrue();
        assertThat(keys.take("slow", 10 * 60 * SECOND).allowed()).isFalse();
    }

    @Test
    void aBurstIsLimitedToOneMinutesRequests() {
        ApiKeys keys = ApiKeys.parse("k:600", 0);
        int allowed = 0;
        for (int i = 0; i < 1_000; i++) {
            allowed += keys.take("k", 0).allowed() ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(600);
        assertThat(keys.take("k", SECOND / 10).allowed()).as("600 per minute: a token every 100 ms").isTrue();
    }

    @Test
    void unknownAndMissingKeysAreNotAllowed() {
        ApiKeys keys = ApiKeys.parse("only-key", 0);
        assertThat(keys.take("other", 0)).isEqualTo(new ApiKeys.Decision(false, false, 0));
        assertThat(keys.take(null, 0).allowed()).isFalse();
        for (int i = 0; i < ApiKeys.DEFAULT_PER_MINUTE; i++) {
            assertThat(keys.take("only-key", 0).allowed()).isTrue();
        }
        assertThat(keys.take("only-key", 0).allowed()).as("a key without a rate gets the default").isFalse();
    }

    @Test
    void badSpecificationsFailWithoutRepeatingTheKey() {
        assertThatThrownBy(() -> ApiKeys.parse("secret-one:fast", 0)).hasMessageContaining("entry 1")
                .hasMessageContaining("requests per minute").hasMessageNotContaining("secret-one");
        assertThatThrownBy(() -> ApiKeys.parse("a:1,secret-two:0", 0)).hasMessageContaining("entry 2")
                .hasMessageNotContaining("secret-two");
        assertThatThrownBy(() -> ApiKeys.parse("a:1,:5", 0)).hasMessageContaining("entry 2 has no key");
        assertThatThrownBy(() -> ApiKeys.parse("secret-three:5,secret-three:6", 0)).hasMessageContaining("repeats")
                .hasMessageNotContaining("secret-three");
        assertThatThrownBy(() -> ApiKeys.parse("k:2000000", 0)).hasMessageContaining("between 1 and 1000000");
    }
}
