package io.recalign.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server whose cluster lives in a data directory and survives restarts.
 * If another process already runs a server on that directory (the service while the command line
 * works), this one joins it instead of starting a second one, and leaves it running on close.
 */
public final class LocalPostgres implements AutoCloseable {

    static final String DATABASE = "recalign";
    static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final int CONNECT_TIMEOUT_MS = 1000;

    private final Path dataDirectory;
    private final int port;
    private final EmbeddedPostgres ownServer;

    private LocalPostgres(Path dataDirectory, int port, EmbeddedPostgres ownServer) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.ownServer = ownServer;
    }

    /** Joins the server running on {@code dataDirectory}, or starts one there (creating the cluster on first use). */
    public static LocalPostgres open(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        OptionalInt runningPort = runningServerPort(directory);
        if (runningPort.isPresent()) {
            log.info("Joining the embedded PostgreSQL already running on port {} with data in {}",
                    runningPort.getAsInt(), directory);
            return new LocalPostgres(directory, runningPort.getAsInt(), null);
        }
        Path logFile = directory.resolveSibling("postgres.log");
        try {
            Files.createDirectories(directory);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            LocalPostgres postgres = new LocalPostgres(directory, server.getPort(), server);
            postgres.createDatabaseIfMissing();
            log.info("Embedded PostgreSQL started on port {} with data in {} (server log: {})",
                    server.getPort(), directory, logFile);
            return postgres;
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot start the embedded PostgreSQL in " + directory
                    + " (server log: " + logFile + "): " + e.getMessage(), e);
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Whether this process started the server (and so stops it on close). */
    public boolean ownsServer() {
        return ownServer != null;
    }

    @Override
    public void close() {
        if (ownServer == null) {
            return;
        }
        try {
            ownServer.close();
            log.info("Embedded PostgreSQL on port {} stopped", port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * The port of a live server on this directory, read from {@code postmaster.pid} (line 1: pid,
     * line 4: port). A stale file left by a crash is ignored: PostgreSQL replaces it on start.
     */
    static OptionalInt runningServerPort(Path directory) {
        Path pidFile = directory.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return OptionalInt.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            if (lines.size() < 4) {
                return OptionalInt.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            int port = Integer.parseInt(lines.get(3).trim());
            boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
            return alive && accepts(port) ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void createDatabaseIfMissing() throws IOException {
        try (Connection connection = ownServer.getPostgresDatabase().getConnection();
                PreparedStatement exists = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            try (ResultSet result = exists.executeQuery()) {
                if (result.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IOException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
        }
    }
}
