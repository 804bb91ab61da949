package io.recalign.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path home;

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws SQLException {
        Path dataDirectory = home.resolve("postgres");
        try (LocalPostgres first = LocalPostgres.open(dataDirectory)) {
            assertThat(first.ownsServer()).isTrue();
            try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
                statement.execute("create table kept (name text)");
                statement.execute("insert into kept values ('before restart')");
            }
        }
        assertStopped(dataDirectory);
        assertThat(dataDirectory.resolve("PG_VERSION")).exists();

        try (LocalPostgres second = LocalPostgres.open(dataDirectory);
                Connection connection = connect(second);
                ResultSet rows = connection.createStatement().executeQuery("select name from kept")) {
            assertThat(second.ownsServer()).isTrue();
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("before restart");
        }
    }

    @Test
    void joinsTheServerAlreadyRunningOnTheDirectoryAndLeavesItRunning() throws SQLException {
        Path dataDirectory = home.resolve("postgres");
        try (LocalPostgres owner = LocalPostgres.open(dataDirectory)) {
            try (LocalPostgres guest = LocalPostgres.open(dataDirectory)) {
                assertThat(guest.ownsServer()).isFalse();
                assertThat(guest.port()).isEqualTo(owner.port());
                assertThat(guest.jdbcUrl()).isEqualTo(owner.jdbcUrl());
                try (Connection connection = connect(guest); Statement statement = connection.createStatement()) {
                    statement.execute("create table shared (n int)");
                }
            }
            try (Connection connection = connect(owner);
                    ResultSet rows = connection.createStatement().executeQuery("select count(*) from shared")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isZero();
            }
        }
        assertStopped(dataDirectory);
    }

    @Test
    void ignoresAStalePidFile() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        try (LocalPostgres server = LocalPostgres.open(dataDirectory)) {
            assertThat(LocalPostgres.runningServerPort(dataDirectory)).hasValue(server.port());
        }
        // a crash leaves the pid file behind while its process is gone
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(dataDirectory.resolve("postmaster.pid"),
                gone.pid() + "\n" + dataDirectory + "\n0\n" + freePort() + "\n");
        assertThat(LocalPostgres.runningServerPort(dataDirectory)).isEmpty();
        assertStartsItsOwnServer(dataDirectory);
    }

    @Test
    void theLastUserStopsTheServerEvenWhenItsStarterLeavesFirst() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        LocalPostgres starter = LocalPostgres.open(dataDirectory);
        try (LocalPostgres user = LocalPostgres.open(dataDirectory)) {
            assertThat(user.ownsServer()).isFalse();
            starter.close();
            assertThat(LocalPostgres.runningServerPort(dataDirectory)).as("a user is left").hasValue(user.port());
            assertAnswers(user);
        }
        assertStopped(dataDirectory);
        assertStartsItsOwnServer(dataDirectory);
    }

    @Test
    void startsAgainAfterAnotherProcessStoppedTheServerItWasLeft() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        LocalPostgres starter = LocalPostgres.open(dataDirectory);
        Process user = startInChildProcess(dataDirectory);
        starter.close();
        assertThat(LocalPostgres.runningServerPort(dataDirectory)).as("left running for the child").isPresent();

        user.getOutputStream().close();  // the child leaves, last, and stops the server
        assertThat(user.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(user.exitValue()).isZero();
        assertStopped(dataDirectory);

        assertStartsItsOwnServer(dataDirectory);
    }

    @Test
    void takesOverAServerWhoseUsersWereKilled() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        Process starter = startInChildProcess(dataDirectory);
        starter.destroyForcibly().waitFor();
        long orphan = postmasterPid(dataDirectory);
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("the server outlives its starter").isTrue();
        assertThat(LocalPostgres.liveUsers(dataDirectory)).isEmpty();

        try (LocalPostgres next = LocalPostgres.open(dataDirectory)) {
            assertThat(next.ownsServer()).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));
            assertThat(LocalPostgres.liveUsers(dataDirectory)).singleElement()
                    .satisfies(record -> assertThat(record.getFileName().toString())
                            .startsWith(ProcessHandle.current().pid() + "-"));
            assertAnswers(next);
        }
        assertStopped(dataDirectory);
    }

    @Test
    void aKilledStarterLeavesTheServerToItsOtherUsers() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        Process starter = startInChildProcess(dataDirectory);
        long postmaster = postmasterPid(dataDirectory);
        try (LocalPostgres user = LocalPostgres.open(dataDirectory)) {
            assertThat(user.ownsServer()).isFalse();
            starter.destroyForcibly().waitFor();
            try (LocalPostgres another = LocalPostgres.open(dataDirectory)) {
                assertThat(another.ownsServer()).as("a live user keeps the server from being taken over").isFalse();
                assertThat(another.port()).isEqualTo(user.port());
                assertThat(postmasterPid(dataDirectory)).isEqualTo(postmaster);
            }
            assertAnswers(user);
        }
        // the last user stops a server another process started
        assertStopped(dataDirectory);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void recordsEveryUserWhileItUsesTheServer() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        try (LocalPostgres starter = LocalPostgres.open(dataDirectory)) {
            assertThat(LocalPostgres.liveUsers(dataDirectory)).hasSize(1);
            try (LocalPostgres user = LocalPostgres.open(dataDirectory)) {
                assertThat(LocalPostgres.liveUsers(dataDirectory)).hasSize(2);
            }
            assertThat(LocalPostgres.liveUsers(dataDirectory)).hasSize(1);
        }
    }

    @Test
    void aServerWithoutRecordsIsJoinedAndLeftRunning() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        try (LocalPostgres starter = LocalPostgres.open(dataDirectory)) {
            // what a server started by hand looks like: no process recorded as its user
            for (Path record : LocalPostgres.liveUsers(dataDirectory)) {
                Files.delete(record);
            }
            Files.delete(LocalPostgres.usersDirectory(dataDirectory));
            try (LocalPostgres user = LocalPostgres.open(dataDirectory)) {
                assertThat(user.ownsServer()).isFalse();
            }
            assertThat(LocalPostgres.runningServerPort(dataDirectory)).hasValue(starter.port());
        }
    }

    private static Process startInChildProcess(Path dataDirectory) throws IOException {
        Process starter = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalPostgresOwner.class.getName(), dataDirectory.toString())
                .redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(starter.getInputStream()))) {
            assertThat(lines.lines().filter("started"::equals).findFirst()).isPresent();
        }
        return starter;
    }

    private static long postmasterPid(Path dataDirectory) throws IOException {
        return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void assertAnswers(LocalPostgres postgres) throws SQLException {
        try (Connection connection = connect(postgres); ResultSet one = connection.createStatement().executeQuery("select 1")) {
            assertThat(one.next()).isTrue();
        }
    }

    /** No server runs on the directory and no user is recorded. */
    /** Opening the directory now starts a server of this JVM's own, which answers. */
    private static void assertStartsItsOwnServer(Path dataDirectory) throws SQLException {
        try (LocalPostgres postgres = LocalPostgres.open(dataDirectory)) {
            assertThat(postgres.ownsServer()).isTrue();
            assertAnswers(postgres);
        }
    }

    private static void assertStopped(Path dataDirectory) {
        assertThat(LocalPostgres.runningServerPort(dataDirectory)).isEmpty();
        assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();
        assertThat(LocalPostgres.usersDirectory(dataDirectory)).doesNotExist();
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), null);
    }
}
