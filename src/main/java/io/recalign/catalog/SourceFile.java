package io.recalign.catalog;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.util.Arrays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * One source file read line by line; errors name the file and the line. Lines are split on bytes and
 * decoded one at a time, so that an encoding error is reported on the line that holds it.
 */
final class SourceFile implements Closeable {

    /** Far beyond any real line of a catalog file. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** Line breaks and control characters (tab aside): a title or category name must fit on one line of a prompt. */
    private static final Pattern NOT_ONE_LINE = Pattern.compile("[\\p{Cc}\\u0085\\u2028\\u2029&&[^\\t]]");

    private final String name;
    private final Charset charset;
    private final CharsetDecoder decoder;
    private final InputStream input;
    private byte[] line = new byte[256];
    private long lineNumber;

    private SourceFile(Path path, Charset charset) throws IOException {
        this.name = path.getFileName().toString();
        this.charset = charset;
        this.decoder = charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.input = new BufferedInputStream(Files.newInputStream(path), 1 << 16);
    }

    /** Opens {@code name} in {@code folder}, or fails with a clear message when it is not there. */
    static SourceFile open(Path folder, String name, Charset charset) throws IOException {
        return new SourceFile(require(folder, name), charset);
    }

    static Path require(Path folder, String name) {
        Path path = folder.resolve(name);
        if (!Files.isRegularFile(path)) {
            throw new InvalidDatasetException("missing file " + name);
        }
        return path;
    }

    /**
     * The next line without its line terminator (\n or \r\n), or null at the end of the file. A line longer
     * than {@link #MAX_LINE_BYTES} is an error, so a file without line breaks is not read into memory whole.
     */
    String next() throws IOException {
        int length = 0;
        int b = input.read();
        if (b < 0) {
            return null;
        }
        while (b >= 0 && b != '\n') {
            if (length == line.length) {
                if (length >= MAX_LINE_BYTES) {
                    lineNumber++;
                    throw error("line longer than " + MAX_LINE_BYTES + " bytes");
                }
                line = Arrays.copyOf(line, length * 2);
            }
            line[length++] = (byte) b;
            b = input.read();
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        lineNumber++;
        try {
            return decoder.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw error("not valid " + charset.name() + " text");
        }
    }

    /** A problem on the line last returned by {@link #next()}. */
    InvalidDatasetException error(String problem) {
        return InvalidDatasetException.atLine(name, lineNumber, problem);
    }


    /** A title or category name, refused when it holds a line break or control character. */
    String oneLine(String text, String field) {
        if (NOT_ONE_LINE.matcher(text).find()) {
            throw error(field + " holds a line break or control character");
        }
        return text;
    }

    String name() {
        return name;
    }

    long parseLong(String text, String field) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw error(field + " is not an integer: '" + text + "'");
        }
    }

    float parseFloat(String text, String field) {
        try {
            return Float.parseFloat(text.trim());
        } catch (NumberFormatException e) {
            throw error(field + " is not a number: '" + text + "'");
        }
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
