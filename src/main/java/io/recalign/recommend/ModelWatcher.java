package io.recalign.recommend;

import io.recalign.alignment.ModelRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the served models in step with the registry across replicas: LISTENs on
 * {@value ModelRegistry#CHANNEL} over a dedicated connection and re-checks the served datasets whenever a
 * notification arrives, and at least every {@code model-poll-interval} (the fallback when notifications
 * are lost, e.g. while the connection is re-established).
 */
@Component
@ConditionalOnProperty(name = "recalign.mode", havingValue = "server", matchIfMissing = true)
class ModelWatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ModelWatcher.class);

    private final ServingModels models;
    private final ObjectProvider<JdbcConnectionDetails> connectionDetails;
    private final DataSource dataSource;
    private final int pollMillis;
    private volatile boolean running;
    private Thread thread;

    ModelWatcher(ServingModels models, ObjectProvider<JdbcConnectionDetails> connectionDetails, DataSource dataSource,
            ServingProperties properties) {
        this.models = models;
        this.connectionDetails = connectionDetails;
        this.dataSource = dataSource;
        this.pollMillis = Math.toIntExact(properties.modelPollInterval().toMillis());
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::watch, "recalign-model-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(pollMillis * 2L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void watch() {
        Connection connection = null;
        while (running) {
            try {
                if (connection == null || connection.isClosed()) {
                    connection = listen();
                }
                PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(pollMillis);
                if (notifications != null && notifications.length > 0) {
                    for (PGNotification notification : notifications) {
                        models.refreshIfServed(notification.getParameter());
                    }
                } else {
                    models.refreshServed();
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    break;
                }
                log.warn("Model change notifications interrupted ({}); polling until the connection is back", e.getMessage());
                close(connection);
                connection = null;
                pause();
                refreshQuietly();
            }
        }
        close(connection);
    }

    /** A connection of its own (not the pool's) that listens on the channel. */
    private Connection listen() throws SQLException {
        JdbcConnectionDetails details = connectionDetails.getIfAvailable();
        Connection connection;
        if (details != null) {
            Properties credentials = new Properties();
            if (details.getUsername() != null) {
                credentials.setProperty("user", details.getUsername());
            }
            if (details.getPassword() != null) {
                credentials.setProperty("password", details.getPassword());
            }
            connection = DriverManager.getConnection(details.getJdbcUrl(), credentials);
        } else {
            connection = dataSource.getConnection();
        }
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + ModelRegistry.CHANNEL);
        }
        // a change made while the connection was down is only seen by looking
        models.refreshServed();
        return connection;
    }

    private void refreshQuietly() {
        try {
            models.refreshServed();
        } catch (RuntimeException e) {
            log.debug("Polling the active models failed: {}", e.getMessage());
        }
    }

    private void pause() {
        try {
            Thread.sleep(pollMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being discarded
            }
        }
    }
}
