package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class AdminTokenTest {

    @Test
    void configuredTokenMatchesOnlyItself(CapturedOutput output) {
        AdminToken token = AdminToken.configuredOrGenerated("s3cret-token");

        assertThat(token.matches("s3cret-token")).isTrue();
        assertThat(token.matches("s3cret-tokeN")).isFalse();
        assertThat(token.matches("s3cret")).isFalse();
        assertThat(token.matches("")).isFalse();
        assertThat(token.matches(null)).isFalse();
        assertThat(output).doesNotContain("s3cret-token");
    }

    @Test
    void missingTokenIsGeneratedAndLoggedOnce(CapturedOutput output) {
        AdminToken token = AdminToken.configuredOrGenerated(" ");

        Matcher logged = Pattern.compile("token for this run is: (\\S+)").matcher(output.getOut());
        assertThat(logged.find()).isTrue();
        String generated = logged.group(1);
        assertThat(generated).hasSizeGreaterThanOrEqualTo(40);
        assertThat(token.matches(generated)).isTrue();
        assertThat(logged.find()).as("logged once").isFalse();

        AdminToken other = AdminToken.configuredOrGenerated(null);
        assertThat(other.matches(generated)).as("each start generates a new token").isFalse();
    }
}
