package dev.banger.rpc;

import dev.banger.io.LineBuffer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-terminated UTF-8 lines with a hard length cap, so one client cannot make the
 * daemon buffer without bound. {@code BufferedReader.readLine} has no cap, hence this class; the
 * cutting is {@link LineBuffer}'s. Not thread-safe: one reader per connection.
 */
final class LineReader {
    /** Thrown when a line exceeds the cap; the rest of the connection is unusable. */
    static final class LineTooLongException extends IOException {
        LineTooLongException(int limit) {
            super("request line exceeds " + limit + " bytes");
        }
    }

    private final InputStream in;
    private final int maxLineBytes;
    private final LineBuffer lines;
    private final ByteBuffer buffer = ByteBuffer.allocate(8192).flip();

    LineReader(InputStream in, int maxLineBytes) {
        this.in = in;
        this.maxLineBytes = maxLineBytes;
        this.lines = new LineBuffer(maxLineBytes);
    }

    /** The next line without its terminator, or {@code null} at a clean end of stream. */
    String readLine() throws IOException {
        while (true) {
            byte[] line;
            try {
                line = lines.take(buffer);
            } catch (LineBuffer.TooLongException e) {
                throw new LineTooLongException(maxLineBytes);
            }
            if (line != null) {
                return decode(line);
            }
            int n = in.read(buffer.array());
            if (n <= 0) {
                buffer.limit(0);
                // A request cut off by a disconnect is dropped: it never completed, so nothing runs.
                return null;
            }
            buffer.position(0).limit(n);
        }
    }

    private static String decode(byte[] line) {
        int n = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
        return new String(line, 0, n, StandardCharsets.UTF_8);
    }
}
