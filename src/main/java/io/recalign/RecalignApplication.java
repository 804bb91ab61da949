package io.recalign;

import io.recalign.system.Cli;
import io.recalign.system.MklVendorCheck;
import io.recalign.system.NativeMemory;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The service and its command line share one jar; with no arguments it serves. */
@SpringBootApplication
public class RecalignApplication {

    public static void main(String[] args) {
        NativeMemory.tune();
        MklVendorCheck.apply();
        int exitCode = Cli.execute(args);
        if (exitCode != Cli.KEEP_RUNNING) {
            System.exit(exitCode);
        }
    }
}
