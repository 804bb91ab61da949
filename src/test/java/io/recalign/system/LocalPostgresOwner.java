package io.recalign.system;

import java.nio.file.Path;

/** Main of a child JVM that opens the embedded PostgreSQL on a directory, says so and waits to be killed. */
final class LocalPostgresOwner {

    private LocalPostgresOwner() {
    }

    public static void main(String[] args) throws InterruptedException {
        LocalPostgres.open(Path.of(args[0]));
        System.out.println("started");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
