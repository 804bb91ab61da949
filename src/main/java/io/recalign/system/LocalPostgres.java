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
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server whose cluster lives in a data directory and survives restarts.
 * If another process already runs a server on that directory (the service while the command line
 * works), this one joins it instead of starting a second one, and leaves it running on close.
 *
 * <p>The server runs detached from the JVM that started it, so it outlives an owner killed with
 * SIGKILL. The owner records itself in {@code postgres.owner} beside the data directory; a server
 * whose owner is gone is an orphan, which the next process stops (fast shutdown: its sessions died
 * with the owner) and starts afresh as its own. A {@code postmaster.pid} left by a crash is removed
 * when its process is gone or is no PostgreSQL (the pid was reused). No JVM shutdown hook stops the
 * server: it stops when the Spring context closes, after the job worker has settled its job.
 */
public final class LocalPostgres implements AutoCloseable {

    static final String DATABASE = "recalign";
    static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final String PID_FILE = "postmaster.pid";
    static final String OWNER_FILE = "postgres.owner";

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
            if (!ownerIsGone(directory)) {
                log.info("Joining the embedded PostgreSQL already running on port {} with data in {}",
                        runningPort.getAsInt(), directory);
                return new LocalPostgres(directory, runningPort.getAsInt(), null);
            }
            stopOrphan(directory);
        }
        removeStalePidFile(directory);
        Path logFile = directory.resolveSibling("postgres.log");
        try {
            Files.createDirectories(directory);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            LocalPostgres postgres = new LocalPostgres(directory, server.getPort(), server);
            Files.writeString(ownerFile(directory), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
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
            Files.deleteIfExists(ownerFile(dataDirectory));
            log.info("Embedded PostgreSQL on port {} stopped", port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop the embedded PostgreSQL in " + dataDirectory, e);
        }
    }

    /**
     * The port of a live server on this directory, read from {@code postmaster.pid} (line 1: pid,
     * line 4: port). A stale file left by a crash is ignored.
     */
    static OptionalInt runningServerPort(Path directory) {
        return pidFile(directory).filter(pid -> ProcessHandle.of(pid.pid()).map(ProcessHandle::isAlive).orElse(false)
                && accepts(pid.port())).map(pid -> OptionalInt.of(pid.port())).orElse(OptionalInt.empty());
    }

    /** The first and fourth lines of {@code postmaster.pid}. */
    private record PidFile(long pid, int port) {
    }

    private static Optional<PidFile> pidFile(Path directory) {
        Path file = directory.resolve(PID_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 4) {
                return Optional.empty();
            }
            return Optional.of(new PidFile(Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    static Path ownerFile(Path directory) {
        return directory.resolveSibling(OWNER_FILE);
    }

    /**
     * Whether the process that started the server on this directory recorded itself and is no longer
     * alive. Without a record (a server started by hand or by an older version) the server is joined.
     */
    static boolean ownerIsGone(Path directory) {
        try {
            String owner = Files.readString(ownerFile(directory), StandardCharsets.UTF_8).trim();
            return ProcessHandle.of(Long.parseLong(owner)).map(process -> !process.isAlive()).orElse(true);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * Stops a server whose owner died with a fast shutdown (SIGINT: its sessions died with the owner, and a
     * joined command's are cut), or SIGTERM where {@code kill} is missing; then waits for it to remove its
     * pid file. {@code pg_ctl} is no help here: it refuses to run as root, which the embedded server's
     * namespace allows.
     */
    private static void stopOrphan(Path directory) {
        PidFile running = pidFile(directory).orElseThrow();
        ProcessHandle postmaster = ProcessHandle.of(running.pid()).orElse(null);
        if (postmaster == null) {
            return;
        }
        log.warn("The embedded PostgreSQL on port {} with data in {} outlived the process that started it; restarting it",
                running.port(), directory);
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                postmaster.destroy();
            }
        } catch (IOException e) {
            postmaster.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the orphaned embedded PostgreSQL in " + directory, e);
        }
        long deadline = System.nanoTime() + ORPHAN_STOP_WAIT.toNanos();
        while (postmaster.isAlive() && Files.exists(directory.resolve(PID_FILE))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the orphaned embedded PostgreSQL (pid " + running.pid() + ") in "
                        + directory + " did not stop within " + ORPHAN_STOP_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the orphaned embedded PostgreSQL in " + directory, e);
            }
        }
    }

    /**
     * Removes a {@code postmaster.pid} whose process is gone or is not PostgreSQL: after a crash the pid
     * may belong to another process (a restarted container reuses low pids), which PostgreSQL itself
     * would take for a running server and refuse to start.
     */
    private static void removeStalePidFile(Path directory) {
        Optional<PidFile> pid = pidFile(directory);
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid.get().pid()).filter(ProcessHandle::isAlive);
        boolean stale = process.isEmpty() || process.get().info().command()
                .map(command -> !Path.of(command).getFileName().toString().startsWith("postgres")).orElse(false);
        if (stale) {
            try {
                Files.deleteIfExists(directory.resolve(PID_FILE));
                log.info("Removed the stale {} of a server that is gone (pid {})", PID_FILE, pid.get().pid());
            } catch (IOException e) {
                log.warn("Cannot remove the stale {} in {}: {}", PID_FILE, directory, e.getMessage());
            }
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
