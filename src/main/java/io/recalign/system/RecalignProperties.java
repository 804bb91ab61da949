package io.recalign.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code recalign.*}; environment variables bind through relaxed binding
 * ({@code RECALIGN_HOME}, {@code RECALIGN_ADMIN_TOKEN}).
 *
 * @param home  data directory: embedded database, models, checkpoints
 * @param admin the admin API's settings
 * @param http  limits of the HTTP API
 * @param api   access to the public API
 */
@ConfigurationProperties("recalign")
public record RecalignProperties(@DefaultValue("./data") Path home, @DefaultValue Admin admin, @DefaultValue Http http,
        @DefaultValue Api api) {

    /** @param token bearer token for {@code /admin/**}; blank means one is generated at start-up */
    public record Admin(String token) {
    }

    /**
     * @param keys API keys of the public API with their requests per minute, {@code key1:60,key2:600}
     *             ({@code RECALIGN_API_KEYS}); blank leaves the public API open
     */
    public record Api(String keys) {
    }

    /** @param maxBodySize largest accepted request body other than multipart uploads */
    public record Http(@DefaultValue("10MB") DataSize maxBodySize) {
    }
}
