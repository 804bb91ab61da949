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
        assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();
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
        assertThat(LocalPostgres.runningServerPort(dataDirectory)).isEmpty();
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
        try (LocalPostgres restarted = LocalPostgres.open(dataDirectory)) {
            assertThat(restarted.ownsServer()).isTrue();
        }
    }

    @Test
    void takesOverAServerWhoseOwnerWasKilled() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalPostgresOwner.class.getName(), dataDirectory.toString())
                .redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(owner.getInputStream()))) {
            assertThat(lines.lines().filter("started"::equals).findFirst()).isPresent();
        }
        owner.destroyForcibly().waitFor();
        long orphan = Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
        assertThat(ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false)).as("the server outlives its owner").isTrue();
        assertThat(LocalPostgres.ownerIsGone(dataDirectory)).isTrue();

        try (LocalPostgres next = LocalPostgres.open(dataDirectory)) {
            assertThat(next.ownsServer()).isTrue();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !ProcessHandle.of(orphan).map(ProcessHandle::isAlive).orElse(false));
            assertThat(Files.readString(LocalPostgres.ownerFile(dataDirectory)).trim())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
            try (Connection connection = connect(next); ResultSet one = connection.createStatement().executeQuery("select 1")) {
                assertThat(one.next()).isTrue();
            }
        }
        assertThat(LocalPostgres.ownerFile(dataDirectory)).doesNotExist();
        assertThat(dataDirectory.resolve("postmaster.pid")).doesNotExist();
    }

    @Test
    void joinsAServerWhoseOwnerIsAlive() throws Exception {
        Path dataDirectory = home.resolve("postgres");
        try (LocalPostgres owner = LocalPostgres.open(dataDirectory)) {
            assertThat(LocalPostgres.ownerIsGone(dataDirectory)).isFalse();
            try (LocalPostgres guest = LocalPostgres.open(dataDirectory)) {
                assertThat(guest.ownsServer()).isFalse();
            }
            assertThat(LocalPostgres.ownerFile(dataDirectory)).exists();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Connection connect(LocalPostgres postgres) throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), null);
    }
}
