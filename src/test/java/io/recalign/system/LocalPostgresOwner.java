package io.recalign.system;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * Main of a child JVM that opens the embedded PostgreSQL on a directory, says so, and closes it when
 * its standard input ends (or is killed before).
 */
final class LocalPostgresOwner {

    private LocalPostgresOwner() {
    }

    public static void main(String[] args) throws IOException {
        try (LocalPostgres postgres = LocalPostgres.open(Path.of(args[0]))) {
            System.out.println("started");
            System.out.flush();
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
