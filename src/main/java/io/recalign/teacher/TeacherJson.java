package io.recalign.teacher;

import tools.jackson.databind.json.JsonMapper;

/** JSON of stored teacher configurations and metrics, and of the teacher commands' last lines. */
final class TeacherJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private TeacherJson() {
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static <T> T read(String json, Class<T> type) {
        return MAPPER.readValue(json, type);
    }
}
