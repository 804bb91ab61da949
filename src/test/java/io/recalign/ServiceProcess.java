package io.recalign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The jar's entry point run in a child JVM on the test classpath, as an operator runs it: its own data
 * directory, port and admin token, output in a log file. For tests that kill the process (SIGKILL) or
 * stop it (SIGTERM) and start it again on the same data directory.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String TOKEN = "child-admin-token";

    private final Process process;
    private final Path log;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private ServiceProcess(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** Starts {@code recalign serve} on {@code home}; {@link #awaitReady} waits for it. */
    public static ServiceProcess serve(Path home, String name) {
        int port = freePort();
        return start(home, name, port, List.of("serve"));
    }

    /** Starts a command ({@code recalign <args>}) on {@code home}; its standard output goes to {@code <name>.out}. */
    public static ServiceProcess command(Path home, String name, String... args) {
        return start(home, name, 0, List.of(args));
    }

    private static ServiceProcess start(Path home, String name, int port, List<String> args) {
        String javaHome = System.getProperty("java.home");
        List<String> command = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), RecalignApplication.class.getName()));
        command.addAll(args);
        Path log = home.resolveSibling(name + ".log");
        Path out = home.resolveSibling(name + ".out");
        // a command's standard output is its result, kept apart; the service's goes to the log with its errors
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput((port == 0 ? out : log).toFile())
                .redirectErrorStream(port != 0);
        if (port == 0) {
            builder.redirectError(log.toFile());
        }
        Map<String, String> environment = builder.environment();
        environment.put("RECALIGN_HOME", home.toString());
        environment.put("RECALIGN_ADMIN_TOKEN", TOKEN);
        environment.put("DJL_OFFLINE", "true");
        // the child services stand for a deployment whose data the test controls: no first-run demo pipeline
        environment.put("RECALIGN_DEMO_ENABLED", "false");
        environment.put("SERVER_PORT", Integer.toString(port));
        environment.put("SERVER_ADDRESS", "127.0.0.1");
        try {
            return new ServiceProcess(builder.start(), log, port);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** Waits until readiness says UP; fails with the log's tail if the process ends first. */
    public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + " before it was ready:\n" + logTail());
            }
            try {
                if (send(HttpRequest.newBuilder(uri("/actuator/health/readiness")).GET()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the service was not ready within " + timeout + ":\n" + logTail());
    }

    /** SIGKILL: no shutdown hook runs, the embedded PostgreSQL it started keeps running. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, then waits for the process to end; returns its exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the process did not stop within " + timeout + " of SIGTERM:\n" + logTail());
        }
        return process.exitValue();
    }

    /** Waits for a command to end; returns its exit status. */
    public int await(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the command did not end within " + timeout + ":\n" + logTail());
        }
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** What the process wrote to its log (standard error, and the service's standard output). */
    public String log() {
        return read(log);
    }

    /** What a command wrote to standard output. */
    public String out() {
        return read(log.resolveSibling(log.getFileName().toString().replace(".log", ".out")));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of the admin API or any other path; the JSON body, or an AssertionError for another status. */
    public JsonNode get(String path) throws IOException, InterruptedException {
        return expect(200, send(admin(path).GET()), path);
    }

    /** A JSON POST; returns the response (status and body) for the caller to check. */
    public HttpResponse<String> post(String path, Object body) throws IOException, InterruptedException {
        return send(admin(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /** A JSON POST that must answer {@code status}; the JSON body. */
    public JsonNode post(String path, Object body, int status) throws IOException, InterruptedException {
        return expect(status, post(path, body), path);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    private HttpRequest.Builder admin(String path) {
        return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofMinutes(2)).header("Authorization", "Bearer " + TOKEN);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode expect(int status, HttpResponse<String> response, String path) {
        if (response.statusCode() != status) {
            throw new AssertionError(path + " answered " + response.statusCode() + " instead of " + status + ": "
                    + response.body());
        }
        return JSON.readTree(response.body());
    }

    private String logTail() {
        String text = log();
        return text.length() <= 8000 ? text : text.substring(text.length() - 8000);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
