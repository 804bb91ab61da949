package io.recalign.system;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The job types this process can run: one {@link JobHandler} bean per type. */
@Component
class JobHandlers {

    private final Map<String, JobHandler> byType = new TreeMap<>();

    JobHandlers(List<JobHandler> handlers) {
        for (JobHandler handler : handlers) {
            String type = handler.type();
            if (type == null || type.isBlank()) {
                throw new IllegalStateException(handler.getClass().getName() + " has no job type");
            }
            JobHandler clash = byType.put(type, handler);
            if (clash != null) {
                throw new IllegalStateException("two handlers for job type '" + type + "': "
                        + clash.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
    }

    Optional<JobHandler> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** The handler of a submitted type, or a 400 that lists the known types. */
    JobHandler require(String type) {
        JobHandler handler = byType.get(type);
        if (handler == null) {
            throw new BadRequestException(byType.isEmpty()
                    ? "unknown job type '" + type + "'; this service has no job types installed"
                    : "unknown job type '" + type + "'; known types: " + String.join(", ", types()));
        }
        return handler;
    }

    /** Known types in alphabetical order. */
    List<String> types() {
        return List.copyOf(byType.keySet());
    }
}
