package io.recalign.system;

import org.springframework.context.ApplicationContext;

/**
 * A command that needs the application's services (database, models). The command line starts a
 * non-web Spring context, then hands it to {@link #run}; commands stay thin doors onto those services.
 */
public interface ContextCommand {

    int run(ApplicationContext context) throws Exception;
}
