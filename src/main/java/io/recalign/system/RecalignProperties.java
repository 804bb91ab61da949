package io.recalign.system;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code recalign.*}; environment variables bind through relaxed binding
 * ({@code RECALIGN_HOME}, {@code RECALIGN_ADMIN_TOKEN}).
 *
 * @param home  data directory: embedded database, models, checkpoints
 * @param admin the admin API's settings
 */
@ConfigurationProperties("recalign")
public record RecalignProperties(@DefaultValue("./data") Path home, @DefaultValue Admin admin) {

    /** @param token bearer token for {@code /admin/**}; blank means one is generated at start-up */
    public record Admin(String token) {
    }
}
