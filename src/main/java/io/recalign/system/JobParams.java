package io.recalign.system;

import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON of job parameters and progress. Binding is strict (an unknown parameter is an error, not
 * silently ignored) and its errors read as messages for the client, not as parser diagnostics.
 */
final class JobParams {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private JobParams() {
    }

    static ObjectNode emptyObject() {
        return MAPPER.createObjectNode();
    }

    static ObjectNode toObject(Object value) {
        JsonNode node = value == null ? emptyObject() : MAPPER.valueToTree(value);
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("job parameters must be a JSON object, not " + node.getNodeType());
        }
        return object;
    }

    static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static ObjectNode parseObject(String json) {
        return (ObjectNode) MAPPER.readTree(json);
    }

    static String write(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    static <T> T bind(ObjectNode params, Class<T> type) {
        try {
            return MAPPER.treeToValue(params, type);
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new BadRequestException("unknown parameter '" + e.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : "; known parameters: " + known));
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new BadRequestException("invalid parameters: " + cause.getMessage());
        } catch (DatabindException e) {
            throw new BadRequestException("parameter '" + path(e) + "': " + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            throw new BadRequestException("invalid parameters: " + firstLine(e.getOriginalMessage()));
        }
    }

    private static String path(DatabindException e) {
        return e.getPath().stream()
                .map(reference -> reference.getPropertyName() != null
                        ? reference.getPropertyName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String firstLine(String message) {
        return message == null ? "invalid value" : message.lines().findFirst().orElse("invalid value");
    }
}
