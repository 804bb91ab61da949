package io.recalign.system;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded PostgreSQL server whose cluster lives in a data directory and survives restarts.
 * If another process already runs a server on that directory (the service while the command line
 * works), this one joins it instead of starting a second one.
 *
 * <p>Every process using a server it or another recalign process started records itself in
 * {@code postgres.users/} beside the data directory (pid and start time, so a reused pid is no
 * user), and the last one to leave stops the server: a command that started the database and ends
 * while the service still uses it leaves it running. The server runs detached from the JVM that
 * started it, so it outlives a user killed with SIGKILL; a server none of whose users is alive is an
 * orphan, which the next process stops (fast shutdown: its sessions died with its users) and starts
 * afresh as its own. A server started by hand has no records and is joined and left alone. A
 * {@code postmaster.pid} left by a crash is removed when its process is gone or is no PostgreSQL (the
 * pid was reused). Opening and closing hold {@code postgres.lock}, so a process never joins a server
 * that is being stopped. No JVM shutdown hook stops the server: it stops when the Spring context
 * closes, after the job worker has settled its job.
 */
public final class LocalPostgres implements AutoCloseable {

    static final String DATABASE = "recalign";
    static final String USER = "postgres";

    private static final Logger log = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    private static final int CONNECT_TIMEOUT_MS = 1000;
    private static final String PID_FILE = "postmaster.pid";
    static final String USERS_DIRECTORY = "postgres.users";
    private static final String LOCK_FILE = "postgres.lock";
    /** Servers this JVM started, stopped through their own handle (which also releases the data directory's lock). */
    private static final Map<Path, EmbeddedPostgres> STARTED_HERE = new HashMap<>();
    private static final AtomicLong RECORDS = new AtomicLong();

    private final Path dataDirectory;
    private final int port;
    private final boolean startedServer;
    /** This instance's file in the users directory; null for a server started by hand, which is never stopped. */
    private final Path userRecord;

    private LocalPostgres(Path dataDirectory, int port, boolean startedServer, Path userRecord) {
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.startedServer = startedServer;
        this.userRecord = userRecord;
    }

    /** Joins the server running on {@code dataDirectory}, or starts one there (creating the cluster on first use). */
    public static LocalPostgres open(Path dataDirectory) {
        Path directory = dataDirectory.toAbsolutePath().normalize();
        synchronized (STARTED_HERE) {
            try (DirectoryLock ignored = DirectoryLock.acquire(directory)) {
                OptionalInt runningPort = runningServerPort(directory);
                if (runningPort.isPresent()) {
                    Path users = usersDirectory(directory);
                    if (!Files.isDirectory(users)) {
                        log.info("Joining the embedded PostgreSQL started by hand on port {} with data in {}; it is left running",
                                runningPort.getAsInt(), directory);
                        return new LocalPostgres(directory, runningPort.getAsInt(), false, null);
                    }
                    if (!liveUsers(directory).isEmpty()) {
                        log.info("Joining the embedded PostgreSQL already running on port {} with data in {}",
                                runningPort.getAsInt(), directory);
                        return new LocalPostgres(directory, runningPort.getAsInt(), false, addUser(directory));
                    }
                    log.warn("The embedded PostgreSQL on port {} with data in {} outlived every process that used it;"
                            + " restarting it", runningPort.getAsInt(), directory);
                    stopServer(directory);
                }
                return start(directory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + directory.resolveSibling(LOCK_FILE) + ": " + e.getMessage(), e);
            }
        }
    }

    private static LocalPostgres start(Path directory) {
        removeStalePidFile(directory);
        Path logFile = directory.resolveSibling("postgres.log");
        try {
            Files.createDirectories(directory);
            // this JVM started a server here before, left it to other users, and one of them has stopped it since:
            // the old handle still holds the data directory's lock (closing it logs that pg_ctl found no server)
            EmbeddedPostgres stale = STARTED_HERE.remove(directory);
            if (stale != null) {
                stale.close();
            }
            // recorded before the server starts: a process killed while starting it leaves an orphan, not a
            // server that looks started by hand and is never stopped
            deleteUsers(directory);
            Path record = addUser(directory);
            EmbeddedPostgres server = EmbeddedPostgres.builder()
                    .setDataDirectory(directory)
                    .setCleanDataDirectory(false)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .start();
            STARTED_HERE.put(directory, server);
            LocalPostgres postgres = new LocalPostgres(directory, server.getPort(), true, record);
            createDatabaseIfMissing(server);
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

    /** Whether this instance started the server (it may still leave it running for other users). */
    public boolean ownsServer() {
        return startedServer;
    }

    /** Leaves the server; the last of its users stops it. */
    @Override
    public void close() {
        if (userRecord == null) {
            return;
        }
        synchronized (STARTED_HERE) {
            try (DirectoryLock ignored = DirectoryLock.acquire(dataDirectory)) {
                Files.deleteIfExists(userRecord);
                List<Path> others = liveUsers(dataDirectory);
                if (!others.isEmpty()) {
                    log.info("Embedded PostgreSQL on port {} left running for {} other process(es)", port, others.size());
                    return;
                }
                stopServer(dataDirectory);
                deleteUsers(dataDirectory);
                log.info("Embedded PostgreSQL on port {} stopped", port);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the embedded PostgreSQL in " + dataDirectory, e);
            }
        }
    }

    /** The directory's lock file, held while opening and closing; closing the channel releases it. */
    private record DirectoryLock(FileChannel channel) implements AutoCloseable {

        /** Blocks until this process holds the lock. */
        static DirectoryLock acquire(Path directory) throws IOException {
            Path file = directory.resolveSibling(LOCK_FILE);
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                channel.lock();
                return new DirectoryLock(channel);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    static Path usersDirectory(Path directory) {
        return directory.resolveSibling(USERS_DIRECTORY);
    }

    /** Records this instance as a user: a file named by pid and a counter, holding the process's start time. */
    private static Path addUser(Path directory) throws IOException {
        ProcessHandle self = ProcessHandle.current();
        Path record = usersDirectory(directory).resolve(self.pid() + "-" + RECORDS.incrementAndGet());
        Files.createDirectories(record.getParent());
        Files.writeString(record, startTime(self), StandardCharsets.UTF_8);
        return record;
    }

    /** The records of users still alive; those of dead processes are removed on the way. */
    static List<Path> liveUsers(Path directory) throws IOException {
        Path users = usersDirectory(directory);
        if (!Files.isDirectory(users)) {
            return List.of();
        }
        List<Path> live = new ArrayList<>();
        try (Stream<Path> records = Files.list(users)) {
            for (Path record : records.toList()) {
                if (isAlive(record)) {
                    live.add(record);
                } else {
                    Files.deleteIfExists(record);
                }
            }
        }
        return live;
    }

    private static boolean isAlive(Path record) {
        String name = record.getFileName().toString();
        try {
            long pid = Long.parseLong(name.substring(0, name.indexOf('-')));
            String started = Files.readString(record, StandardCharsets.UTF_8);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(process -> startTime(process).equals(started))
                    .orElse(false);
        } catch (IOException | RuntimeException e) {
            return false;  // a record that cannot be read is no proof of a user
        }
    }

    private static String startTime(ProcessHandle process) {
        return process.info().startInstant().map(Object::toString).orElse("");
    }

    private static void deleteUsers(Path directory) throws IOException {
        Path users = usersDirectory(directory);
        if (Files.isDirectory(users)) {
            try (Stream<Path> records = Files.list(users)) {
                for (Path record : records.toList()) {
                    Files.deleteIfExists(record);
                }
            }
            Files.deleteIfExists(users);
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

    /**
     * Stops the server on this directory: through its own handle when this JVM started it, else with a
     * fast shutdown (SIGINT: no user is left, and an orphan's sessions died with its users), or SIGTERM
     * where {@code kill} is missing; then waits for it to remove its pid file. {@code pg_ctl} is no help
     * here: it refuses to run as root, which the embedded server's namespace allows.
     */
    private static void stopServer(Path directory) throws IOException {
        EmbeddedPostgres own = STARTED_HERE.remove(directory);
        if (own != null) {
            own.close();
            return;
        }
        PidFile running = pidFile(directory).orElse(null);
        ProcessHandle postmaster = running == null ? null : ProcessHandle.of(running.pid()).orElse(null);
        if (postmaster == null) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(running.pid())).redirectErrorStream(true).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                postmaster.destroy();
            }
        } catch (IOException e) {
            postmaster.destroy();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping the embedded PostgreSQL in " + directory, e);
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        while (postmaster.isAlive() && Files.exists(directory.resolve(PID_FILE))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedded PostgreSQL (pid " + running.pid() + ") in "
                        + directory + " did not stop within " + STOP_WAIT.toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping the embedded PostgreSQL in " + directory, e);
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

    private static void createDatabaseIfMissing(EmbeddedPostgres server) throws IOException {
        try (Connection connection = server.getPostgresDatabase().getConnection();
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
