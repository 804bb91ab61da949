package io.recalign.system;

import io.recalign.RecalignApplication;
import java.util.concurrent.Callable;
import org.springframework.boot.SpringApplication;
import picocli.CommandLine.Command;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the HTTP service (the default command).")
final class ServeCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        SpringApplication.run(RecalignApplication.class);
        return Cli.KEEP_RUNNING;
    }
}
