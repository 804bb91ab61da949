package io.recalign.llm;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
 * mapping each tensor name to its dtype, shape and byte range, then the raw little-endian data.
 *
 * <p>Reading accepts F32, F16 and BF16 (and F64) and always yields F32 values: DJL's PyTorch engine
 * crashes on BF16 arrays, so the conversion happens here in Java. Writing stores F32.
 */
public final class Safetensors {

    /** A named tensor's shape and its values in row-major order. */
    public record Tensor(long[] shape, float[] values) {
        public Tensor {
            long size = elementCount(shape);
            if (size != values.length) {
                throw new IllegalArgumentException(
                        "shape " + Arrays.toString(shape) + " holds " + size + " values, got " + values.length);
            }
            shape = shape.clone();
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        /** The number of values a shape holds; a negative dimension or an overflowing product is refused. */
        static long elementCount(long[] shape) {
            long size = 1;
            for (long dimension : shape) {
                if (dimension < 0) {
                    throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
                }
                try {
                    size = Math.multiplyExact(size, dimension);
                } catch (ArithmeticException e) {
                    throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds more values than a long counts");
                }
            }
            return size;
        }

        public int rank() {
            return shape.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Tensor tensor
                    && Arrays.equals(shape, tensor.shape)
                    && Arrays.equals(values, tensor.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "Tensor" + Arrays.toString(shape);
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String INDEX_FILE = "model.safetensors.index.json";
    private static final String SINGLE_FILE = "model.safetensors";
    private static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;

    private Safetensors() {
    }

    /** Reads every tensor of one safetensors file, in header order. */
    public static Map<String, Tensor> read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, file);
            long headerLength = lengthBytes.flip().getLong();
            long fileSize = channel.size();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > fileSize) {
                throw new IllegalArgumentException(file + " is not a safetensors file (header length " + headerLength + ")");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, file);
            String headerJson = new String(header.array(), StandardCharsets.UTF_8);
            long dataStart = 8 + headerLength;
            return decode(headerJson, fileSize - dataStart, file.toString(), (begin, length) -> {
                ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(length)).order(ByteOrder.LITTLE_ENDIAN);
                readFully(channel, data, dataStart + begin, file);
                return data.flip();
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads every tensor of a safetensors file held in memory, in header order. */
    public static Map<String, Tensor> read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 8) {
            throw new IllegalArgumentException("not a safetensors file: " + bytes.length + " bytes");
        }
        long headerLength = buffer.getLong(0);
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new IllegalArgumentException("not a safetensors file (header length " + headerLength + ")");
        }
        String headerJson = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        int dataStart = 8 + (int) headerLength;
        try {
            return decode(headerJson, bytes.length - dataStart, "safetensors bytes", (begin, length) ->
                    buffer.slice(dataStart + (int) begin, (int) length).order(ByteOrder.LITTLE_ENDIAN));
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // in-memory data raises none
        }
    }

    /**
     * Reads the weights of a Hugging Face checkpoint directory: {@code model.safetensors}, or the
     * shards listed by {@code model.safetensors.index.json}.
     */
    public static Map<String, Tensor> readCheckpoint(Path directory) {
        Path single = directory.resolve(SINGLE_FILE);
        Path index = directory.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            JsonNode weightMap = readJson(index).path("weight_map");
            if (!weightMap.isObject() || weightMap.isEmpty()) {
                throw new IllegalArgumentException(index + " has no weight_map");
            }
            Set<String> shards = new LinkedHashSet<>();
            weightMap.properties().forEach(entry -> {
                if (!entry.getValue().isString()) {
                    throw new IllegalArgumentException(index + " maps tensor " + entry.getKey() + " to " + entry.getValue()
                            + ", not to a file name");
                }
                shards.add(entry.getValue().stringValue());
            });
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (String shard : shards) {
                tensors.putAll(read(directory.resolve(shard)));
            }
            for (var entry : weightMap.properties()) {
                if (!tensors.containsKey(entry.getKey())) {
                    throw new IllegalArgumentException(
                            "tensor " + entry.getKey() + " listed in " + INDEX_FILE + " is missing from " + entry.getValue().asString());
                }
            }
            return tensors;
        }
        if (Files.isRegularFile(single)) {
            return read(single);
        }
        throw new IllegalArgumentException("no " + SINGLE_FILE + " or " + INDEX_FILE + " in " + directory);
    }

    /** Writes F32 tensors to a file; the file appears complete or not at all. */
    public static void write(Path file, Map<String, Tensor> tensors) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 20)) {
                    write(tensors, out);
                }
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Encodes F32 tensors, in the map's order, as the bytes of a safetensors file. */
    public static byte[] write(Map<String, Tensor> tensors) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(tensors, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);  // in-memory streams raise none
        }
        return out.toByteArray();
    }

    /** Streams the file tensor by tensor, so its size is bounded by the disk, not by one array. */
    private static void write(Map<String, Tensor> tensors, OutputStream out) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        header.putObject("__metadata__").put("format", "pt");
        long offset = 0;
        for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
            Tensor tensor = entry.getValue();
            ObjectNode description = header.putObject(entry.getKey());
            description.put("dtype", "F32");
            var shape = description.putArray("shape");
            for (long dimension : tensor.shape) {
                shape.add(dimension);
            }
            long end = offset + 4L * tensor.values.length;
            description.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] headerBytes = JSON.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int paddedLength = (headerBytes.length + 7) / 8 * 8;  // data starts 8-byte aligned
        ByteBuffer prefix = ByteBuffer.allocate(8 + paddedLength).order(ByteOrder.LITTLE_ENDIAN);
        prefix.putLong(paddedLength).put(headerBytes);
        while (prefix.hasRemaining()) {
            prefix.put((byte) ' ');
        }
        out.write(prefix.array());
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (Tensor tensor : tensors.values()) {
            for (float value : tensor.values) {
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
                chunk.putFloat(value);
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot parse " + file + ": " + e.getOriginalMessage(), e);
        }
    }

    @FunctionalInterface
    private interface DataSource {
        ByteBuffer bytes(long begin, long length) throws IOException;
    }

    private static Map<String, Tensor> decode(String headerJson, long dataLength, String source, DataSource data)
            throws IOException {
        JsonNode header;
        try {
            header = JSON.readTree(headerJson);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("malformed safetensors header in " + source + ": " + e.getOriginalMessage(), e);
        }
        if (!header.isObject()) {
            throw new IllegalArgumentException("malformed safetensors header in " + source);
        }
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : header.properties()) {
            String name = entry.getKey();
            if (name.equals("__metadata__")) {
                continue;
            }
            JsonNode description = entry.getValue();
            String dtype = description.path("dtype").asString("");
            JsonNode shapeNode = description.path("shape");
            JsonNode offsets = description.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw new IllegalArgumentException("tensor " + name + " in " + source + " lacks shape or data_offsets");
            }
            String where = "tensor " + name + " in " + source;
            long[] shape = new long[shapeNode.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = nonNegativeLong(shapeNode.get(i), where + " has a shape entry");
            }
            long count;
            try {
                count = Tensor.elementCount(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
            long begin = nonNegativeLong(offsets.get(0), where + " has a data offset");
            long end = nonNegativeLong(offsets.get(1), where + " has a data offset");
            int width = switch (dtype) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                case "F64" -> 8;
                default -> throw new IllegalArgumentException(
                        where + " has unsupported dtype " + dtype + " (F32, F16, BF16, F64 are read)");
            };
            if (count > (Integer.MAX_VALUE - 8) / width) {
                throw new IllegalArgumentException(where + " is too large to read: " + count + " " + dtype + " values");
            }
            if (end < begin || end > dataLength || end - begin != count * width) {
                throw new IllegalArgumentException(where + " has data_offsets ["
                        + begin + ", " + end + ") that do not fit its " + dtype + " shape " + Arrays.toString(shape)
                        + " in " + dataLength + " bytes of data");
            }
            tensors.put(name, new Tensor(shape, toFloats(data.bytes(begin, end - begin), dtype, (int) count)));
        }
        return tensors;
    }

    /** A header number that must be a non-negative integer: not a fraction, a string or beyond a long. */
    private static long nonNegativeLong(JsonNode value, String what) {
        if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
            throw new IllegalArgumentException(what + " that is not a non-negative integer: " + value);
        }
        return value.longValue();
    }

    private static float[] toFloats(ByteBuffer bytes, String dtype, int count) {
        bytes.order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[count];
        switch (dtype) {
            case "F32" -> bytes.asFloatBuffer().get(values);
            case "F64" -> {
                var doubles = bytes.asDoubleBuffer();
                for (int i = 0; i < count; i++) {
                    values[i] = (float) doubles.get(i);
                }
            }
            case "BF16" -> {
                var shorts = bytes.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    values[i] = Float.intBitsToFloat((shorts.get(i) & 0xffff) << 16);
                }
            }
            case "F16" -> {
                var shorts = bytes.asShortBuffer();
                for (int i = 0; i < count; i++) {
                    values[i] = halfToFloat(shorts.get(i));
                }
            }
            default -> throw new IllegalStateException(dtype);
        }
        return values;
    }

    /** IEEE 754 half precision to single precision, subnormals, infinities and NaN included. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;  // subnormal: mantissa × 2^-24
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path file) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new IllegalArgumentException(file + " ends early: truncated safetensors file");
            }
            at += read;
        }
    }
}
